//! Step 2 — top-down: the top is async, the tailers are still the blocking
//! [`tail_file`] of step 1, run on tokio's blocking pool.
//!
//! The book's `run_tasks_mixed`. The migration starts at the **top** of the
//! call tree:
//!
//! 1. the entry point becomes `async` ([`run_tasks_mixed`]) and runs on a
//!    runtime;
//! 2. each blocking call it makes — here the whole `tail_file` loop — moves to
//!    the blocking pool with [`tokio::task::spawn_blocking`] (the book's
//!    `loop.run_in_executor(None, ...)`), so it cannot stall the runtime's
//!    worker threads;
//! 3. what those blocking calls share with async code — the output, now owned
//!    by the runtime as an [`AsyncOutput`] — is reached from the blocking
//!    thread through the runtime: the `write_func` each tailer receives calls
//!    [`Handle::block_on`] on the async write and waits for it (the book's
//!    `asyncio.run_coroutine_threadsafe(coro, loop).result()`).
//!
//! `tail_file` itself is **unchanged** — same signature, same body — which is
//! the point: the lower levels keep working while the top moves. Step 3 then
//! walks down the call tree and makes them async too.
//!
//! Two costs to know about, both visible in the figures of the demo:
//!
//! - each tailer *occupies* a blocking-pool thread for its whole life: 50
//!   files mean 50 threads, exactly as in step 1. The pool's size therefore
//!   bounds the number of files — and since `tokio::fs` also runs on that
//!   pool, a pool filled with tailers would starve the output's own writes
//!   and hang. [`runtime`] sizes the pool for that;
//! - every line crosses from a thread into the runtime and back
//!   (`block_on` + an async lock), where step 1 took a plain lock. With one
//!   file that costs little; with many, the tailers contend for tokio's
//!   mutex, which is strictly FIFO: each unlock hands the lock to the next
//!   waiting *thread* and wakes it, where `std`'s mutex lets the running
//!   thread take it again at once. The demo's burst shows step 2 several
//!   times slower than step 1 for that reason — a price worth paying for a
//!   while, not for good.
//!
//! About `Handle::block_on` versus the book's `run_coroutine_threadsafe`: the
//! book submits the coroutine to the event loop's thread; `block_on` runs the
//! future on the *calling* (blocking-pool) thread, using the runtime's timers
//! and I/O drivers. For this writer the effect is the same — the line is
//! written, through the runtime's async lock, before `write_func` returns, so
//! each file's order is kept. (To run it literally on the runtime's threads,
//! `handle.block_on(handle.spawn(fut))`, or send the line over a channel to a
//! single async writer task with `blocking_send`.) Calling `block_on` from a
//! runtime *worker* thread would panic; from `spawn_blocking` it is allowed.
//!
//! [`Handle::block_on`]: tokio::runtime::Handle::block_on

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::runtime::{Builder, Handle, Runtime};
use tokio::task::JoinSet;

use crate::output::AsyncOutput;
use crate::stop::Stop;
use crate::tasks::join_tailers;
use crate::threads::tail_file;

/// The runtime step 2 runs on, for `files` tailers.
///
/// The blocking pool must hold every tailer *at once* (each keeps its thread
/// until the stop signal) plus room for the output's `tokio::fs` writes,
/// which also run there. Capping it at `files` or fewer would deadlock as
/// soon as the output's buffer filled: the tailers holding every pool thread
/// would wait for a flush queued behind them for a thread they hold.
/// Tokio's default cap is 512; we state the need rather than rely on it.
pub fn runtime(files: usize) -> io::Result<Runtime> {
    Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(files + 4)
        .build()
}

/// Step 2: merges `inputs` into `output` with one blocking [`tail_file`] per
/// input on the runtime's blocking pool, every write going through the
/// runtime. Returns the number of lines merged.
///
/// Must run inside a tokio runtime (it spawns onto it).
pub async fn run_tasks_mixed(
    inputs: &[PathBuf],
    output: &Path,
    interval: Duration,
    stop: &Stop,
) -> io::Result<u64> {
    // New: the output belongs to the runtime.
    let merged = AsyncOutput::create(output).await?;
    let handle = Handle::current();

    let mut tailers = JoinSet::new();
    for path in inputs {
        // `spawn_blocking` needs `'static` closures (the task may outlive this
        // frame as far as the compiler knows), hence owned clones.
        let (path, merged, handle, stop) =
            (path.clone(), merged.clone(), handle.clone(), stop.clone());
        // New: the book's `run_in_executor(None, tail_file, ...)`.
        tailers.spawn_blocking(move || {
            // New: the book's `run_coroutine_threadsafe(...).result()` — hand
            // the async write to the runtime and wait for it.
            let mut write = |line: &[u8]| handle.block_on(merged.write_line(line));
            tail_file(&path, interval, &stop, &mut write)
        });
    }
    // The book's `asyncio.gather(*tasks)`.
    let lines = join_tailers(tailers).await?;
    merged.finish().await?;
    Ok(lines)
}
