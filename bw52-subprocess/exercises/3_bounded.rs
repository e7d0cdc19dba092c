//! 연습 52.3 — 동시에 실행되는 자식 수 제한하기 / Exercise 52.3 — bound the children in flight
//!
//! Starting every child at once (exercise 52.1) is right for ten; for ten
//! thousand it means ten thousand processes at the same moment. Run the
//! commands with at most `limit` children alive at a time, starting the next
//! one only when an earlier one has ended.
//!
//! Run the checks: `cargo test -p bw52-subprocess --features exercises --test exercises exercise_52_3`

use std::io;
use std::num::NonZeroUsize;
use std::process::{Command, ExitStatus};

/// Runs every command as a child, never more than `limit` alive at once,
/// and returns their exit statuses in the order of `commands`. When `limit`
/// children are running, wait for one of them to end before starting the
/// next. If a command cannot be started, return that error.
///
/// `Command::spawn` starts a child; `Child::wait` blocks until it ends and
/// reaps it. Waiting for the oldest running child is simple and keeps the
/// bound (a `std::collections::VecDeque` of `(index, Child)` pairs serves);
/// `Child::try_wait` would let you take whichever ends first.
///
/// Hint: check the count *before* spawning. Spawning and then waiting when
/// there are more than `limit` lets `limit + 1` run for a moment.
///
/// The checks run twelve children with a limit of 3, each staying alive until
/// the check tells it to end — as soon as 4 are alive at once, or after 2 s —
/// and verify that:
/// - never more than 3 were alive at once, and 3 were (the bound is used);
/// - each ran once, and the statuses come back in the order of the commands;
/// - no child is left running, or as a zombie, when this returns.
pub fn run_bounded(commands: Vec<Command>, limit: NonZeroUsize) -> io::Result<Vec<ExitStatus>> {
    todo!("exercise 52.3")
}
