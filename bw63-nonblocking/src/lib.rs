//! # Item 63: avoid blocking the event loop to maximize responsiveness
//!
//! Start here: `examples/core.rs`, the item in one page. Run it with
//! `cargo run -p bw63-nonblocking --example core`, break it with `-- --break`,
//! and read it; then run the demo (`cargo run -p bw63-nonblocking`), then read
//! `src/` and `tests/`.
//!
//! *Effective Python*, 2nd ed., item 63 (응답성을 최대로 높이려면 asyncio 이벤트
//! 루프를 블록하지 말라). An async runtime runs many tasks on few threads by
//! switching between them at every `.await` that has to wait. A task that
//! calls something *blocking* instead — `std::thread::sleep`, a synchronous
//! file write, an `fsync`, a long computation — keeps its thread for the whole
//! call, and every other task that thread should be running waits with it:
//! timers fire late, sockets go unread, a heartbeat stops.
//!
//! ## What you'll see
//!
//! `cargo run -p bw63-nonblocking` runs four steps:
//!
//! 1. **The stall** ([`stall`]): one task sleeps 200 ms with
//!    `std::thread::sleep`. On a current-thread runtime (asyncio's single
//!    loop) a heartbeat and two freshly spawned tasks all wait ≈ 200 ms. On a
//!    multi-thread runtime the other worker keeps the heartbeat punctual — but
//!    the last task the blocked worker spawned still waits 200 ms (it sits in
//!    that worker's LIFO slot, which nobody can steal), and blocking as many
//!    tasks as there are workers stops everything again.
//! 2. **Detection** ([`detector`], [`heartbeat`]): asyncio's debug mode logs
//!    callbacks slower than `slow_callback_duration`; Rust has no such switch,
//!    so [`SlowPollDetector`] wraps a task's future and times each `poll`,
//!    reporting the slow ones by task name — and, from the kernel's per-thread
//!    counters, whether the poll slept (blocked), computed, or only lost the
//!    CPU to other processes; a [`Heartbeat`] task measures its own lag
//!    (p50/p99/max).
//! 3. **The scenario** ([`tail`], [`scenario`]): as in the book, tail growing
//!    input files into one output while the heartbeat runs. Written inline
//!    (blocking), the 20 ms writes come back to back and the blocking adds
//!    up: the detector catches polls of one to eight writes (20–160 ms), and
//!    the heartbeat barely ticks at all — its lag is the whole run, because
//!    tokio's current-thread scheduler only drives its timers when no task is
//!    ready (or every 61 polls, [`tokio::runtime::Builder::event_interval`]),
//!    and with writers blocking in turn there always is one. Written through
//!    the [`WriteThread`] or `spawn_blocking`, the heartbeat's p99 stays about
//!    where it is on an idle runtime (1.5 ms in the README's run), and no
//!    poll is slow.
//! 4. **The cost of the fix**: what one awaited write costs on each path when
//!    the disk is fast, and the [`WriteThread`]'s life cycle — `close` loses
//!    nothing, joins the thread, and a write afterwards is an error, not a hang.
//!
//! ## Run it
//!
//! ```text
//! cargo run -p bw63-nonblocking
//! cargo run -p bw63-nonblocking -- --block 300ms --disk sync --files 8 --lines 50
//! cargo run -p bw63-nonblocking -- --trace bw63.json
//! cargo bench -p bw63-nonblocking
//! ```
//!
//! `--trace FILE` writes the whole run as a Chrome trace: open it in
//! <https://ui.perfetto.dev> or `chrome://tracing`. Each heartbeat's `tick`
//! spans share a lane; the `write` spans of one output share another, named
//! by where they ran (the event loop, the blocking pool, the writer thread).
//! The demo also draws a small run of its own ([`drawing`]): the heartbeat's
//! lane stops while writes run on the loop and keeps beating beside the
//! writer thread.
//!
//! ## The key idea
//!
//! Never let a task hold its runtime thread for longer than the latency you
//! promise anyone else. Blocking work goes to a thread that is allowed to
//! block, and the task *awaits* its result:
//!
//! - [`tokio::task::spawn_blocking`] for an occasional call: simple, but each
//!   call borrows a pool thread, shared state (the file) needs a lock, and the
//!   call itself is not quite free — it takes the pool's lock and, when no
//!   pool thread is idle, creates a new OS thread right there, inside the
//!   caller's poll (on a loaded machine we saw that sleep for 10–30 ms);
//! - a **dedicated thread that owns the resource** — the book's
//!   `WriteThread`, here [`WriteThread`] — when one resource gets a stream of
//!   blocking calls: created once, no lock on the file, writes in the order
//!   they were sent, one place to flush and sync at the end, and a bounded
//!   queue for back-pressure.
//!
//! ```
//! use bw63_nonblocking::{DiskCost, WriteThread};
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! # let dir = tempfile::tempdir().unwrap();
//! # let path = dir.path().join("out.log");
//! let output = WriteThread::start(&path, DiskCost::Buffered).await?;
//! let writer = output.writer(); // one per task; cheap to clone
//! writer.write("hello").await?; // awaits the writer thread; never blocks
//! output.close().await?; // flush, sync, join: nothing lost
//! assert!(writer.write("too late").await.is_err()); // an error, not a hang
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```
//!
//! ## How Rust differs from the Python original
//!
//! - **Detection is yours to build.** asyncio's `debug=True` times callbacks
//!   for you. tokio's stable API has no such switch (its unstable runtime
//!   metrics and `on_before_task_poll` hooks, and the `tokio-console` tool, go
//!   in that direction), but a future is a value, so wrapping it to time every
//!   `poll` is a dozen lines ([`Watched`]).
//! - **Several threads can hide a block — partly.** asyncio has one loop
//!   thread; tokio's default runtime has a worker per core, so one blocked
//!   worker leaves the others running. The [`stall`] step shows where that
//!   stops helping. A current-thread tokio runtime behaves like asyncio.
//! - **No second event loop.** The book's `WriteThread` runs its own asyncio
//!   loop and uses `run_coroutine_threadsafe`. Here the thread is plain
//!   blocking code around a channel; [`tokio::sync::mpsc::Receiver::blocking_recv`]
//!   and a [`tokio::sync::oneshot`] acknowledgement connect it to async code.
//! - **No async `Drop`.** `async with` guarantees `__aexit__`; Rust cannot
//!   await in `Drop`. So stopping is an explicit `close(self).await`, and
//!   `Drop` only detaches the thread (it still drains and flushes) and warns;
//!   see [`write_thread`].
//! - **Starting and stopping.** The book's `__aenter__` starts the thread
//!   through `run_in_executor(None, self.start)`, because Python's
//!   `Thread.start` waits until the new thread is running. Its `stop`
//!   schedules `loop.stop()` on the thread's loop with
//!   `run_coroutine_threadsafe` and awaits that; the thread itself is never
//!   joined. Here `std::thread::Builder::spawn` is called right on the
//!   runtime: it returns as soon as the thread exists (tens of microseconds)
//!   and the slow part, opening the file, happens on the new thread while
//!   `start` awaits a oneshot. `close` drops the sender, so the thread drains
//!   the backlog and ends, and then joins it on the blocking pool, so a
//!   write error or panic of the thread reaches the caller.
//!
//! See also: [`tokio::task::spawn_blocking`], [`tokio::task::block_in_place`],
//! [`tokio::runtime::Builder`], [`std::thread::sleep`], [`std::fs::File::sync_data`].

pub mod detector;
pub mod drawn;
pub mod heartbeat;
pub mod output;
pub mod scenario;
pub mod sink;
pub mod stall;
pub mod tail;
pub mod write_thread;

pub use detector::{SlowCause, SlowPoll, SlowPollDetector, ThreadUsage, Watched};
pub use drawn::drawing;
pub use heartbeat::{Heartbeat, LagStats, idle_lag};
pub use output::{Output, OutputGuard, WritePath};
pub use scenario::{ScenarioConfig, ScenarioError, ScenarioReport, per_write_cost, run_tasks};
pub use sink::{DiskCost, LineSink, WriterStats, measure_line_cost};
pub use stall::{Flavor, StallReport, measure_stall};
pub use tail::{Producer, TailError, Verified, input_line, tail_file, verify_output};
pub use write_thread::{QUEUE_DEPTH, ThreadExit, WriteError, WriteThread, Writer};
