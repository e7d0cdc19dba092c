//! Step 7: the async form — many children, a bounded number at a time.
//!
//! [`tokio::process::Command`] mirrors std's, but its `output()` and `wait()`
//! are futures: one thread can wait for hundreds of children. Starting *all*
//! of them at once is rarely wise (each is a whole process), so a
//! [`Semaphore`] with `limit` permits bounds how many exist at a time; the
//! rest wait for a permit without starting. An [`InFlight`] gauge counts the
//! children running, so a test can check the bound by instrumentation.
//!
//! Unlike std, tokio offers
//! [`kill_on_drop`](tokio::process::Command::kill_on_drop): if the future is
//! dropped (a timeout, a cancelled task), the child is killed and tokio reaps
//! it in the background.

use std::num::NonZeroUsize;
use std::panic;
use std::process::{Output, Stdio};
use std::sync::Arc;

use course_support::InFlight;
use tokio::process::Command;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::capture::{RunError, check, program_name, spawn_error};
use crate::guard::child_span;

/// Runs every command to completion, at most `limit` children at a time,
/// output captured; the results come back in the order of `commands`. Each
/// child counts on `gauge` while it runs.
///
/// `limit` is a [`NonZeroUsize`] because a semaphore with no permits would
/// wait forever: the type rules that input out instead of a runtime check.
pub async fn run_bounded(
    commands: Vec<Command>,
    limit: NonZeroUsize,
    gauge: Arc<InFlight>,
) -> Vec<Result<Output, RunError>> {
    let permits = Arc::new(Semaphore::new(limit.get()));
    let count = commands.len();
    let mut tasks = JoinSet::new();
    for (index, mut command) in commands.into_iter().enumerate() {
        let permits = Arc::clone(&permits);
        let gauge = Arc::clone(&gauge);
        tasks.spawn(async move {
            // The permit is taken *before* the child is started: the bound is
            // on processes, not merely on tasks.
            let _permit = permits
                .acquire_owned()
                .await
                .expect("the semaphore is never closed");
            let _running = gauge.enter();
            let program = program_name(command.as_std());
            command
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .kill_on_drop(true);
            // `spawn` then `wait_with_output`, which is what `output()` does,
            // written out so that the child's span starts once there is a
            // child. The span is held across the wait, never entered: it
            // marks the child's lifetime, not the task's turns on a thread.
            let result = match command.spawn() {
                Ok(child) => {
                    let _child = child_span(Some(&program));
                    match child.wait_with_output().await {
                        Ok(output) => check(&program, output),
                        Err(source) => Err(RunError::Io {
                            program: program.clone(),
                            source,
                        }),
                    }
                }
                Err(source) => Err(spawn_error(command.as_std(), source)),
            };
            (index, result)
        });
    }

    let mut results: Vec<Option<Result<Output, RunError>>> = (0..count).map(|_| None).collect();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((index, result)) => results[index] = Some(result),
            // A panic in a task is a bug: let it surface here.
            Err(error) if error.is_panic() => panic::resume_unwind(error.into_panic()),
            Err(error) => unreachable!("no task is ever aborted: {error}"),
        }
    }
    results
        .into_iter()
        .map(|result| result.expect("every task reports exactly once"))
        .collect()
}
