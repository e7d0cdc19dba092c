//! Looking at children the way the kernel sees them: running, a zombie
//! (exited, not yet reaped), or gone.
//!
//! A process that exits does not disappear: it stays in the process table as a
//! *zombie* holding its pid and exit status until its parent collects them
//! with `wait`. That is the "reaping" every other module of this crate takes
//! care of. This module lets the demo and the tests *see* it — including what
//! happens when a [`Child`] is simply dropped, which in Rust does neither kill
//! nor reap.

use std::io;
use std::process::Child;
use std::time::Duration;

use nix::errno::Errno;
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{Pid, getpid};
use tracing::Span;

use crate::guard::{child_span, pid_of, poll_until};
use crate::platform::process_status;

/// What the system says about one of our children.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildState {
    /// Still running (or sleeping, or stopped): it has not exited.
    Running,
    /// Exited but not reaped: a zombie, holding its pid and its exit status
    /// until we collect them.
    Zombie,
    /// Not a child of ours (any more): reaped, or never ours. `waitpid` would
    /// fail with `ECHILD`, "no child processes".
    Gone,
}

/// Looks at `pid` without changing anything: is it our child, and has it
/// exited? Nothing is reaped; see [`process_status`] for where the answer
/// comes from.
///
/// A pid that exists but belongs to someone else's process is
/// [`Gone`](ChildState::Gone): once a child is reaped, the kernel may give its
/// number to a stranger.
pub fn child_state(pid: Pid) -> io::Result<ChildState> {
    Ok(match process_status(pid)? {
        None => ChildState::Gone,
        Some(status) if status.parent != getpid() => ChildState::Gone,
        Some(status) if status.state == 'Z' => ChildState::Zombie,
        Some(_) => ChildState::Running,
    })
}

/// The one-letter state `ps` shows for `pid` (`R` running, `S` sleeping,
/// `Z` zombie, ...); `None` if there is no such process any more.
pub fn process_state(pid: Pid) -> io::Result<Option<char>> {
    Ok(process_status(pid)?.map(|status| status.state))
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
    let pid = pid_of(&child);
    drop(child);
    Abandoned {
        pid,
        reaped: false,
        // Dropped with the `Abandoned`, after the reap in `reap` or `drop`.
        // std's `Child` does not say which program it runs.
        _span: child_span(None),
    }
}

/// The pid of a child whose [`Child`] was dropped; see [`abandon`].
#[derive(Debug)]
pub struct Abandoned {
    /// Still ours until reaped: a zombie keeps its pid.
    pid: Pid,
    /// Set by a successful reap: the pid may then be reused, and must not be
    /// signalled.
    reaped: bool,
    /// The child's `child process` span, open until the reap.
    _span: Span,
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

/// Waits until child `pid` has exited, *without* reaping it: afterwards it
/// is a zombie, and [`process_state`] shows `Z`. Gives up with an error after
/// `patience`, or at once if `pid` is not a child of ours.
///
/// Linux could block in `waitid` with `WNOWAIT` (wait, but do not reap);
/// `nix` has no such call on macOS, so this looks at the child's state
/// repeatedly instead, with short pauses in between.
pub fn wait_until_exited(pid: Pid, patience: Duration) -> io::Result<()> {
    let exited = poll_until(patience, || match child_state(pid)? {
        ChildState::Zombie => Ok(Some(())),
        ChildState::Running => Ok(None),
        ChildState::Gone => Err(io::Error::other(format!(
            "pid {pid} is not a child of ours (already reaped?)"
        ))),
    })?;
    exited.ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::TimedOut,
            format!("pid {pid} was still running after {patience:?}"),
        )
    })
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
