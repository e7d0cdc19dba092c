//! Looking at children the way the kernel sees them: running, a zombie
//! (exited, not yet reaped), or gone.
//!
//! A process that exits does not disappear: it stays in the process table as a
//! *zombie* holding its pid and exit status until its parent collects them
//! with `wait`. That is the "reaping" every other module of this crate takes
//! care of. This module lets the demo and the tests *see* it — including what
//! happens when a [`Child`] is simply dropped, which in Rust does neither kill
//! nor reap.

use std::fs;
use std::io;
use std::process::Child;

use nix::errno::Errno;
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid, waitpid};
use nix::unistd::Pid;

/// What the kernel says about one of our children.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildState {
    /// Still running (or sleeping, or stopped): it has not exited.
    Running,
    /// Exited but not reaped: a zombie, holding its pid and this status.
    Zombie(WaitStatus),
    /// Not a child of ours (any more): reaped, or never ours. `waitpid` would
    /// fail with `ECHILD`, "no child processes".
    Gone,
}

/// Asks the kernel about `pid` without changing anything: `waitid` with
/// `WNOHANG` (do not block) and `WNOWAIT` (do not reap).
pub fn child_state(pid: Pid) -> io::Result<ChildState> {
    let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOHANG | WaitPidFlag::WNOWAIT;
    loop {
        return match waitid(Id::Pid(pid), flags) {
            Ok(WaitStatus::StillAlive) => Ok(ChildState::Running),
            Ok(status) => Ok(ChildState::Zombie(status)),
            Err(Errno::ECHILD) => Ok(ChildState::Gone),
            Err(Errno::EINTR) => continue,
            Err(other) => Err(other.into()),
        };
    }
}

/// The one-letter state `ps` shows for `pid` (`R` running, `S` sleeping,
/// `Z` zombie, ...), read from `/proc/<pid>/stat`; `None` if there is no such
/// process any more.
pub fn proc_state(pid: Pid) -> io::Result<Option<char>> {
    let text = match fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        // Also "no such process" if it vanished between open and read.
        Err(e) if e.raw_os_error() == Some(Errno::ESRCH as i32) => return Ok(None),
        Err(e) => return Err(e),
    };
    // The line is `pid (comm) S ...`; the command name may itself contain
    // spaces and parentheses, so look after the *last* `)`.
    let state = text
        .rfind(')')
        .and_then(|end| text[end + 1..].trim_start().chars().next());
    state
        .map(Some)
        .ok_or_else(|| io::Error::other(format!("unexpected /proc/{pid}/stat: {text:?}")))
}

/// Drops a [`Child`] the way a careless program does, and keeps only its pid
/// so the lesson can watch what happens next.
///
/// Nothing is sent to the process and std will never wait for it: if it is
/// running it keeps running, and when it exits it stays a zombie. The
/// returned [`Abandoned`] is not a handle std knows about — just the pid,
/// with a `Drop` that cleans up so that the demonstration itself leaves
/// nothing behind.
pub fn abandon(child: Child) -> Abandoned {
    let pid = Pid::from_raw(i32::try_from(child.id()).expect("Linux process ids fit in pid_t"));
    drop(child);
    Abandoned { pid, reaped: false }
}

/// The pid of a child whose [`Child`] was dropped; see [`abandon`].
#[derive(Debug)]
pub struct Abandoned {
    /// Still ours until reaped: a zombie keeps its pid.
    pid: Pid,
    /// Set by a successful reap: the pid may then be reused, and must not be
    /// signalled.
    reaped: bool,
}

impl Abandoned {
    /// The abandoned child's pid.
    pub fn pid(&self) -> Pid {
        self.pid
    }

    /// Reaps it by hand (blocking until it exits): what dropping the `Child`
    /// did not do.
    pub fn reap(mut self) -> io::Result<WaitStatus> {
        let status = reap(self.pid)?;
        self.reaped = true;
        Ok(status)
    }

    /// Kills it (SIGKILL) and reaps it.
    pub fn kill_and_reap(self) -> io::Result<WaitStatus> {
        kill(self.pid, Signal::SIGKILL)?;
        self.reap()
    }
}

impl Drop for Abandoned {
    fn drop(&mut self) {
        if !self.reaped {
            // Not reaped, so the pid is still this child's.
            let _ = kill(self.pid, Signal::SIGKILL);
            let _ = reap(self.pid);
        }
    }
}

/// Blocks until child `pid` has exited, *without* reaping it: afterwards it
/// is a zombie, and [`proc_state`] shows `Z`.
pub fn wait_until_exited(pid: Pid) -> io::Result<WaitStatus> {
    loop {
        match waitid(Id::Pid(pid), WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT) {
            Err(Errno::EINTR) => continue,
            other => return other.map_err(io::Error::from),
        }
    }
}

/// Reaps child `pid` (blocking until it exits): `waitpid`, the call std's
/// [`Child::wait`] makes for you.
pub fn reap(pid: Pid) -> io::Result<WaitStatus> {
    loop {
        match waitpid(pid, None) {
            Err(Errno::EINTR) => continue,
            other => return other.map_err(io::Error::from),
        }
    }
}
