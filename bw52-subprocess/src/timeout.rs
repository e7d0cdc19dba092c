//! Step 6: a deadline, then SIGTERM, then (if ignored) SIGKILL — and reap.
//!
//! The book waits with `communicate(timeout=0.1)`, catches `TimeoutExpired`,
//! calls `terminate()` and `wait()`, and prints the exit status `-15`. std's
//! [`Child::wait`](std::process::Child::wait) has no timeout and
//! [`Child::kill`](std::process::Child::kill) only sends SIGKILL, so this step
//! uses [`ChildGuard::wait_timeout`] for the deadline and `nix` for SIGTERM.
//! SIGTERM can be caught or ignored (it asks the child to clean up and leave);
//! SIGKILL cannot, so a grace period after SIGTERM ends with it.

use std::io::{self, BufRead, BufReader};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::capture::{RunError, describe_status};
use crate::guard::ChildGuard;

/// How long to wait, and how long to give a terminated child to leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    /// How long the child may run before it is sent SIGTERM.
    pub timeout: Duration,
    /// How long after SIGTERM before SIGKILL.
    pub grace: Duration,
}

/// Why a timed child stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// It ended on its own before the deadline.
    Finished,
    /// It was still running at the deadline and left after SIGTERM.
    Terminated,
    /// It was still there after the grace period and was sent SIGKILL.
    Killed,
}

/// A child that was run against a [`Deadline`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedRun {
    /// Its status once reaped: e.g. `terminated by signal 15 (SIGTERM)`.
    pub status: ExitStatus,
    /// How it came to stop.
    pub ending: Ending,
    /// From the start of the wait to the reaping.
    pub elapsed: Duration,
}

impl TimedRun {
    /// The status as this course prints it; see [`describe_status`].
    pub fn describe(&self) -> String {
        describe_status(self.status)
    }
}

/// Waits for `child` until `deadline.timeout`, then terminates it (SIGTERM,
/// then SIGKILL after `deadline.grace`). The child is always reaped when this
/// returns `Ok`.
pub fn wait_or_terminate(child: &mut ChildGuard, deadline: Deadline) -> io::Result<TimedRun> {
    let start = Instant::now();
    let (status, ending) = match child.wait_timeout(deadline.timeout)? {
        Some(status) => (status, Ending::Finished),
        None => {
            let termination = child.terminate(deadline.grace)?;
            let ending = if termination.escalated {
                Ending::Killed
            } else {
                Ending::Terminated
            };
            (termination.status, ending)
        }
    };
    Ok(TimedRun {
        status,
        ending,
        elapsed: start.elapsed(),
    })
}

/// Starts `command` and runs it against `deadline` ([`wait_or_terminate`]).
/// Its stdio is left as configured; a piped output nobody reads would make
/// the child block, so leave it inherited or set it to null.
pub fn run_with_timeout(command: &mut Command, deadline: Deadline) -> Result<TimedRun, RunError> {
    let mut child = ChildGuard::spawn(command)?;
    wait_or_terminate(&mut child, deadline).map_err(|source| RunError::Io {
        program: child.program().to_owned(),
        source,
    })
}

/// A child that ignores SIGTERM, as a misbehaving program might: `sh` sets
/// SIGTERM to "ignore", prints `ready`, then becomes `sleep` (an ignored
/// signal stays ignored across `exec`, and `exec` leaves no grandchild
/// behind to outlive the kill). Returned once `ready` has been read, so the
/// caller knows SIGTERM can no longer stop it.
pub fn spawn_ignoring_sigterm(duration: Duration) -> Result<ChildGuard, RunError> {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(r#"trap '' TERM; echo ready; exec sleep "$1""#)
        .arg("sh")
        .arg(format!("{}", duration.as_secs_f64()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped());
    let mut child = ChildGuard::spawn(&mut command)?;
    let stdout = child.take_stdout().expect("stdout was set to piped");
    let mut line = String::new();
    let read = BufReader::new(stdout).read_line(&mut line);
    match read {
        Ok(_) if line.trim_end() == "ready" => Ok(child),
        // `child` is dropped on these paths: killed and reaped.
        Ok(_) => Err(RunError::Io {
            program: child.program().to_owned(),
            source: io::Error::other(format!("expected \"ready\", got {line:?}")),
        }),
        Err(source) => Err(RunError::Io {
            program: child.program().to_owned(),
            source,
        }),
    }
}
