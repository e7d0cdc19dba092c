//! The one thing this lesson reads differently on different Unix systems: a
//! process's state and parent, as `ps` shows them.
//!
//! Linux publishes them in `/proc/<pid>/stat`, a file any program can read
//! without starting another; that is [`process_status`] there, and it needs
//! nothing beyond the kernel. Other systems (macOS, the BSDs) have no such
//! file, so there [`process_status`] asks `ps -o ppid= -o stat= -p <pid>`
//! ([`ps_status`]), which reads the same kernel data through the system's own
//! interface. [`ps_status`] works on Linux too, and the tests check there
//! that both readers agree.

use std::io;
use std::process::{Command, Stdio};

use nix::errno::Errno;
use nix::unistd::Pid;

use crate::capture::spawn_error;

/// What the system says about one process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcessStatus {
    /// Its parent: us, for a child we have not reaped yet.
    pub parent: Pid,
    /// The one-letter state `ps` shows: `R` running, `S` sleeping, `T`
    /// stopped, `Z` zombie (exited, not yet reaped), ...
    pub state: char,
}

/// The status of process `pid`, or `None` if there is no such process.
///
/// On Linux it is read from `/proc/<pid>/stat`; elsewhere it comes from `ps`
/// ([`ps_status`]).
pub fn process_status(pid: Pid) -> io::Result<Option<ProcessStatus>> {
    if cfg!(target_os = "linux") {
        proc_status(pid)
    } else {
        ps_status(pid)
    }
}

/// The status of process `pid` as `ps -o ppid= -o stat= -p <pid>` prints it,
/// or `None` if there is no such process. Works on every Unix with `ps`
/// (POSIX requires these options); a missing `ps` is an error naming it.
pub fn ps_status(pid: Pid) -> io::Result<Option<ProcessStatus>> {
    let mut command = Command::new("ps");
    // An `=` after a column's name leaves its header empty, so the output is
    // one line, `<ppid> <stat>`, or nothing at all.
    command
        .args(["-o", "ppid=", "-o", "stat=", "-p"])
        .arg(pid.to_string())
        .stdin(Stdio::null());
    let output = command
        .output()
        .map_err(|e| io::Error::other(spawn_error(&command, e)))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut fields = stdout.split_whitespace();
    match (fields.next(), fields.next()) {
        (Some(parent), Some(stat)) => Ok(Some(ProcessStatus {
            parent: parse_pid(parent, &stdout)?,
            state: stat
                .chars()
                .next()
                .expect("split_whitespace yields no empty field"),
        })),
        // No such process: `ps` prints no line and exits with status 1. Any
        // message on stderr means something else went wrong, and reading
        // that as "gone" would let a check pass without looking.
        (None, _) if !output.status.success() && stderr.trim().is_empty() => Ok(None),
        _ => Err(io::Error::other(format!(
            "unexpected output from `ps -o ppid= -o stat= -p {pid}` ({}): {stdout:?}, stderr {stderr:?}",
            output.status
        ))),
    }
}

/// The Linux reader: `/proc/<pid>/stat`, whose line is
/// `pid (comm) state ppid ...`. (It compiles everywhere but is called only on
/// Linux: elsewhere the file is missing, which would read as "no process".)
fn proc_status(pid: Pid) -> io::Result<Option<ProcessStatus>> {
    let path = format!("/proc/{pid}/stat");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        // Also "no such process" if it vanished between open and read.
        Err(e) if e.raw_os_error() == Some(Errno::ESRCH as i32) => return Ok(None),
        Err(e) => return Err(e),
    };
    // The command name may itself contain spaces and parentheses, so the
    // fields that follow it start after the *last* `)`.
    let unexpected = || io::Error::other(format!("unexpected {path}: {text:?}"));
    let rest = text
        .rfind(')')
        .map(|end| &text[end + 1..])
        .ok_or_else(unexpected)?;
    let mut fields = rest.split_whitespace();
    match (fields.next().and_then(|s| s.chars().next()), fields.next()) {
        (Some(state), Some(parent)) => Ok(Some(ProcessStatus {
            parent: parse_pid(parent, &text)?,
            state,
        })),
        _ => Err(unexpected()),
    }
}

fn parse_pid(field: &str, line: &str) -> io::Result<Pid> {
    field
        .parse()
        .map(Pid::from_raw)
        .map_err(|e| io::Error::other(format!("bad parent pid {field:?} in {line:?}: {e}")))
}
