//! 연습 62.1 — 블로킹 tailer는 블로킹 풀에서 / Exercise 62.1 — run the blocking tailers on the blocking pool
//!
//! The book's `run_tasks_mixed`, the first step of a top-down migration: the
//! top of the program is async now, but the tailer it calls is still the old
//! blocking `tail_file`. Run it where blocking is allowed, and hand every line
//! back to the runtime that owns the output.
//!
//! Run the checks: `cargo test -p bw62-mix --features exercises --test exercises exercise_62_1`

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use bw62_mix::{AsyncOutput, Stop};

/// Merges every file of `inputs` into `output` with one blocking
/// `bw62_mix::tail_file(path, interval, stop, write_func)` per file, and
/// returns the number of lines merged, once every tailer has finished (they
/// finish after `stop` is raised and their file is drained).
///
/// - Run each `tail_file` on tokio's blocking pool:
///   `tokio::task::spawn_blocking` (the book's `run_in_executor`), or a
///   `tokio::task::JoinSet`'s `spawn_blocking`. The closure must own what it
///   uses: clone the path, `output` and `stop` into it.
/// - Its `write_func` runs on that blocking thread, but `output.write_line`
///   is async: take the runtime's handle (`tokio::runtime::Handle::current()`)
///   before spawning, and wait for each write from the blocking thread with
///   `handle.block_on(output.write_line(line))` (the book's
///   `run_coroutine_threadsafe(...).result()`).
/// - Await every tailer, add up their line counts, return the first error.
///
/// The checks run this on a single-threaded runtime, as asyncio does, with a
/// heartbeat task on it, while three writer threads grow the files, and
/// verify that:
/// - the heartbeat keeps beating while the tailers run (nothing blocks the
///   runtime's only thread);
/// - this returns only after the stop signal, with every tailer done;
/// - every line of every file is in the output exactly once, in its file's
///   order, and the count returned is the number of lines.
pub async fn run_tasks_mixed(
    inputs: &[PathBuf],
    output: &AsyncOutput,
    interval: Duration,
    stop: &Stop,
) -> io::Result<u64> {
    todo!("exercise 62.1")
}
