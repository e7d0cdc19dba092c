//! Step 2: let the child run while the parent does something else.
//!
//! `subprocess.run` blocks until the child is done. `Popen` starts it and
//! returns at once; the parent then asks, from time to time, "finished yet?"
//! with `poll()`. Rust's [`Command::spawn`](std::process::Command::spawn)
//! likewise returns as soon as the child exists, and
//! [`Child::try_wait`](std::process::Child::try_wait) is `poll()`:
//! `Ok(None)` while it runs, `Ok(Some(status))` once it has ended (and been
//! reaped).

use std::io;
use std::process::ExitStatus;

use crate::guard::ChildGuard;

/// What [`poll_while_working`] observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollReport {
    /// How the child ended.
    pub status: ExitStatus,
    /// How many times the parent asked whether the child had ended.
    pub polls: usize,
    /// How many units of the parent's own work ran in between: the answer
    /// was "still running" that many times.
    pub work_units: usize,
}

/// Polls `child` until it ends, calling `work` after every "still running".
///
/// This is the book's `while proc.poll() is None: ...` loop. It only pays off
/// when there *is* other work: with nothing to do in between, the loop spins
/// a core for nothing, and a plain [`ChildGuard::wait`] (which sleeps in the
/// kernel until the child exits) is the right call.
pub fn poll_while_working(
    child: &mut ChildGuard,
    mut work: impl FnMut(),
) -> io::Result<PollReport> {
    let mut polls = 0;
    loop {
        polls += 1;
        if let Some(status) = child.try_wait()? {
            return Ok(PollReport {
                status,
                polls,
                work_units: polls - 1,
            });
        }
        work();
    }
}
