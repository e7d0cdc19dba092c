//! 연습 52.2 — 기한을 넘긴 자식은 끝내고 거두기 / Exercise 52.2 — past its deadline, stop the child and reap it
//!
//! The book waits for a child with a timeout, then `terminate()`s it and
//! waits again. std's `Child::wait` has no timeout, and a child may ignore
//! SIGTERM. Write the wait that always ends, and leaves nothing behind.
//!
//! Run the checks: `cargo test -p bw52-subprocess --features exercises --test exercises exercise_52_2`

use std::io;
use std::process::{Child, ExitStatus};
use std::time::Duration;

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

/// Waits up to `timeout` for `child` to end. If it has not, sends it SIGTERM
/// (the book's `terminate()`) and waits up to `grace` more; if it is still
/// there, kills it with SIGKILL. Whatever happens, the child is reaped before
/// this returns — no process and no zombie is left behind.
///
/// - `Child::try_wait` asks "ended yet?" without blocking (and reaps the
///   child if it has ended); call it with short sleeps in between to wait
///   with a limit. `Child::wait` blocks for as long as the child lives.
/// - SIGTERM: `nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM)`
///   with `let pid = nix::unistd::Pid::from_raw(child.id() as i32);` — safe
///   while the child is not yet reaped, because its pid is still its own.
/// - SIGKILL: `Child::kill`. It only sends the signal.
///
/// Hint: a killed child is not gone until someone waits for it; until then
/// it is a zombie.
///
/// The checks verify that:
/// - a child that exits at once with code 3, given a 60 s deadline, is
///   `Finished` with code 3, and this returns without waiting out the
///   deadline;
/// - `sleep 30` with a 100 ms deadline is `Terminated` (it leaves on SIGTERM);
/// - a child that ignores SIGTERM, with a 100 ms deadline and 300 ms of
///   grace, is `Killed`;
/// - every one of them is reaped when this returns.
pub fn wait_with_deadline(child: Child, timeout: Duration, grace: Duration) -> io::Result<Ending> {
    todo!("exercise 52.2")
}
