//! 연습 52.1 — 모든 자식을 시작한 뒤에 기다리기 / Exercise 52.1 — start every child before waiting for any
//!
//! The book starts ten `sleep` children and then waits for them, and the
//! whole takes about one child's time: once started, a child runs on its own,
//! in parallel with the parent and with every other child. Waiting for one
//! before starting the next throws that away.
//!
//! Run the checks: `cargo test -p bw52-subprocess --features exercises --test exercises exercise_52_1`

use std::io;
use std::process::{Command, ExitStatus};

/// Starts every command, then waits for every child, and returns their exit
/// statuses in the order of `commands`. A child that fails is not an error
/// here: its status says how it ended. If a command cannot be started,
/// return that error.
///
/// `Command::spawn` starts a child and returns at once with its `Child`;
/// `Child::wait` blocks until that child ends, reaps it (the system forgets
/// it) and returns its status.
///
/// Hint: collect the children in a `Vec` before waiting for the first one.
/// Iterators are lazy: one chain `map(spawn).map(wait)` spawns a child, waits
/// for it, and only then spawns the next.
///
/// The checks start six children, each of which stays alive until the check
/// tells it to end — as soon as all six are alive at once, or after 2 s —
/// and verify that:
/// - all six were alive at the same time;
/// - each ran once, and the statuses come back in the order of the commands;
/// - no child is left running, or as a zombie, when this returns.
pub fn run_all(commands: Vec<Command>) -> io::Result<Vec<ExitStatus>> {
    todo!("exercise 52.1")
}
