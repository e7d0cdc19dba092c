//! Step 4 — bottom-up: the thread API is kept, but each thread now runs the
//! async tailer of step 3 on a runtime of its own.
//!
//! The book's second route, the one that starts at the **leaves** of the call
//! tree:
//!
//! 1. write the async version of a leaf function ([`tail_async`], step 3);
//! 2. turn the old blocking function into a thin wrapper that starts an event
//!    loop and runs the coroutine to completion — the book's `tail_file` that
//!    calls `asyncio.new_event_loop()` and `run_until_complete(tail_async(...))`;
//!    here [`tail_file_via_async`], which builds a current-thread
//!    [`tokio::runtime::Runtime`] and calls [`Runtime::block_on`];
//! 3. callers do not change: [`run_threads_bottom_up`] is step 1's
//!    [`run_threads_with`] given the new tailer — threads, the lock, the joins,
//!    all as before;
//! 4. move up one level and repeat; delete a wrapper once nothing calls it.
//!
//! Top-down or bottom-up? Top-down (steps 2 → 3) first gives the program an
//! event loop at the top and pushes the blocking code into a pool; it suits a
//! program whose entry point you own and whose lower levels are many or
//! shared. Bottom-up (this step) changes one leaf at a time behind an
//! unchanged interface; it suits a library whose callers you do not control,
//! or a leaf that several blocking callers share. Either way, at every step
//! the program runs and its tests pass — that is what makes the migration
//! easy, and why this crate's tests run all four versions through the same
//! [`verify`](crate::verify()).
//!
//! The cost of this step is visible too: every tailer thread now also owns a
//! runtime (a timer, and a blocking pool whose one thread performs the
//! `tokio::fs` reads), so it runs about two threads per file — the heaviest
//! of the four, a waypoint, not a destination.
//!
//! [`Runtime::block_on`]: tokio::runtime::Runtime::block_on
//! [`run_threads_with`]: crate::threads::run_threads_with

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::stop::Stop;
use crate::tasks::{AsyncWriteFunc, tail_async};
use crate::threads::{WriteFunc, run_threads_with};

/// The blocking `write_func` of the thread API, dressed as an
/// [`AsyncWriteFunc`] so the async tailer can call it: the book's
/// `async def write_async(data): write_func(data)`.
struct BlockingWriteFunc<'w, 'f>(&'w mut WriteFunc<'f>);

impl AsyncWriteFunc for BlockingWriteFunc<'_, '_> {
    async fn write_async(&mut self, line: &[u8]) -> io::Result<()> {
        // The call blocks (it takes step 1's `std::sync::Mutex`). Normally a
        // future must not block; here it may, because the runtime it blocks
        // belongs to this one thread and runs nothing else, and the lock is
        // only ever held for one line's memory copy.
        (self.0)(line)
    }
}

/// The old [`tail_file`](crate::threads::tail_file) signature, now
/// implemented by running [`tail_async`] on a private current-thread runtime.
pub fn tail_file_via_async(
    path: &Path,
    interval: Duration,
    stop: &Stop,
    write_func: &mut WriteFunc<'_>,
) -> io::Result<u64> {
    // New: the book's `asyncio.new_event_loop()`. A current-thread runtime
    // runs its futures on the thread that calls `block_on` — this tailer
    // thread — so no extra worker threads are started. The timer is enabled
    // for `Stop::sleep`; `tokio::fs` needs no driver, only the blocking pool
    // every runtime has.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        // This runtime has one task, which has at most one `tokio::fs` call
        // in flight: one blocking thread is all it can use.
        .max_blocking_threads(1)
        .build()?;
    let mut write_async = BlockingWriteFunc(write_func);
    // New: the book's `loop.run_until_complete(tail_async(...))`.
    runtime.block_on(tail_async(path, interval, stop, &mut write_async))
}

/// Step 4: step 1's [`run_threads`](crate::threads::run_threads), unchanged,
/// with the tailer swapped for [`tail_file_via_async`]. Returns the number of
/// lines merged.
pub fn run_threads_bottom_up(
    inputs: &[PathBuf],
    output: &Path,
    interval: Duration,
    stop: &Stop,
) -> io::Result<u64> {
    run_threads_with(tail_file_via_async, inputs, output, interval, stop)
}
