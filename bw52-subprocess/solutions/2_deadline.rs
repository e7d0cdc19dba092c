//! A limited wait is `try_wait` polled with short sleeps, because std's
//! `wait` cannot give up; SIGTERM asks, SIGKILL insists, and the final `wait`
//! after the kill is what reaps the child.

use std::io;
use std::process::{Child, ExitStatus};
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

/// How a child run against a deadline ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// It ended on its own before the deadline, with this status.
    Finished(ExitStatus),
    /// It was still running at the deadline, and left after SIGTERM.
    Terminated,
    /// It ignored SIGTERM for `grace` and was killed with SIGKILL.
    Killed,
}

/// Waits up to `timeout`, then SIGTERM, `grace`, SIGKILL; always reaps.
pub fn wait_with_deadline(
    mut child: Child,
    timeout: Duration,
    grace: Duration,
) -> io::Result<Ending> {
    if let Some(status) = wait_at_most(&mut child, timeout)? {
        return Ok(Ending::Finished(status));
    }
    // Not reaped yet, so the pid cannot have been given to another process.
    let pid = Pid::from_raw(i32::try_from(child.id()).expect("process ids fit in pid_t"));
    kill(pid, Signal::SIGTERM)?;
    if wait_at_most(&mut child, grace)?.is_some() {
        return Ok(Ending::Terminated);
    }
    child.kill()?;
    // The kill only sends the signal; this wait is what reaps the child.
    child.wait()?;
    Ok(Ending::Killed)
}

/// `try_wait` every 5 ms until the child has ended (and is reaped) or `limit`
/// has passed.
fn wait_at_most(child: &mut Child, limit: Duration) -> io::Result<Option<ExitStatus>> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if start.elapsed() >= limit {
            return Ok(None);
        }
        thread::sleep(Duration::from_millis(5));
    }
}
