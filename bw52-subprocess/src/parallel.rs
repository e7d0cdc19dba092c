//! Step 3: start many children first, wait for them afterwards.
//!
//! Children are separate processes: once started they run in parallel with
//! the parent and with each other, whatever the parent's language or its
//! interpreter lock. The only way to lose that is to wait for each child
//! before starting the next. The book starts ten `sleep` children, then
//! collects them, and the whole takes about one child's time.

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::capture::{RunError, check, run};
use crate::guard::ChildGuard;

/// A `sleep` child for `duration` (the `sleep` of Linux and macOS accepts
/// fractions of a second).
pub fn sleep_command(duration: Duration) -> Command {
    let mut command = Command::new("sleep");
    command.arg(format!("{}", duration.as_secs_f64()));
    command
}

/// The baseline: start one child, wait for it, then the next. The total time
/// is the *sum* of the children's times. Stops at the first failure.
pub fn run_sequentially(
    commands: impl IntoIterator<Item = Command>,
) -> Result<Vec<Output>, RunError> {
    commands
        .into_iter()
        .map(|mut command| run(&mut command))
        .collect()
}

/// Starts every command before waiting for any (output captured, stdin
/// closed). If one cannot be started, the ones already running are killed
/// and reaped by their guards as the partial vector is dropped.
pub fn spawn_all(commands: impl IntoIterator<Item = Command>) -> Result<Vec<ChildGuard>, RunError> {
    commands
        .into_iter()
        .map(|mut command| {
            command
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            ChildGuard::spawn(&mut command)
        })
        .collect()
}

/// Collects every child in turn: its output, its status, checked.
///
/// Waiting in order is fine although they finish in any order: a child that
/// is done early just waits as a zombie (its output in its pipe) until we get
/// to it, and none of them waits for another.
pub fn wait_all(children: Vec<ChildGuard>) -> Vec<Result<Output, RunError>> {
    children
        .into_iter()
        .map(|child| {
            let program = child.program().to_owned();
            match child.wait_with_output() {
                Ok(output) => check(&program, output),
                Err(source) => Err(RunError::Io { program, source }),
            }
        })
        .collect()
}

/// [`spawn_all`] then [`wait_all`]: the total time is about the *longest*
/// child's time. Every child is reaped before the first failure is returned.
pub fn run_in_parallel(
    commands: impl IntoIterator<Item = Command>,
) -> Result<Vec<Output>, RunError> {
    wait_all(spawn_all(commands)?).into_iter().collect()
}
