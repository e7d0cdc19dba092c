//! # Item 55: use queues to coordinate work between threads
//!
//! Start here: `examples/core.rs`, the item in one page. Run it with
//! `cargo run -p bw55-queue --example core`, break it with `-- --break`, and
//! read it; then run the demo (`cargo run -p bw55-queue`), then read `src/` and
//! `tests/`.
//!
//! *Effective Python*, 2nd ed., item 55 (Queue를 사용해 스레드 사이의 작업을
//! 조율하라). A program that does several things in a row — the book's
//! example downloads photos, resizes them and uploads them — can run each step
//! on its own threads and hand items from one step to the next through queues:
//! a **pipeline**. The book builds it twice. First with a hand-made queue that
//! workers poll, which works but wastes effort, cannot be stopped cleanly and
//! lets a slow stage pile up unbounded work. Then with `queue.Queue`, whose
//! `get` blocks, whose `maxsize` applies backpressure, whose `task_done` /
//! `join` wait for the work, and on top of which it writes a `ClosableQueue`
//! with a sentinel to stop the workers.
//!
//! This crate ports both, with Rust's channels as the queue — and shows that
//! the sentinel is no longer needed: a channel knows when its last sender is
//! gone.
//!
//! ## What you'll see
//!
//! `cargo run -p bw55-queue` runs, in order:
//!
//! 1. **Before** ([`busy_queue`]): the book's `MyQueue` and polling `Worker`s
//!    on 1,000 items: about 3,000 polls for 1,000 items (the book printed
//!    3,035), and a main thread that has to poll too, and to know the item
//!    count in advance, before it may pull the stop flag.
//! 2. **Before, a slow stage**: the same pipeline with resize made 100×
//!    slower, on 100,000 items. While resize works, the other workers poll:
//!    spinning costs wasted polls and CPU time (how much depends on what else
//!    the machine is running, since every `yield_now` offers the core to
//!    someone else), sleeping costs latency. And nothing pushes back, so the
//!    queue in front of resize grows to most of the 100,000 items.
//! 3. **After, a bound of one** ([`bounded`]): the book's `Queue(1)` trace.
//!    The producer's second put blocks until the consumer takes the first.
//! 4. **After, waiting for the work** ([`task_done`]): `task_done`/`join`
//!    becomes a [`WaitGroup`](crossbeam::sync::WaitGroup) that travels with
//!    each job and is released when the job is dropped — even by a panic.
//! 5. **After, the pipeline** ([`pipeline`], [`photos`]): 3, 4 and 5 workers
//!    per stage on bounded channels, shut down by dropping senders; the stages
//!    end in order, every thread is joined, no producer gets more than
//!    `capacity + workers` items ahead, the slow resize leaves at most
//!    `capacity` items waiting, and a panicking resize comes back as an error.
//!    For comparison, the book's way is run once ([`sentinel`]): a sentinel
//!    per worker, the stages closed in order; with one sentinel too few, a
//!    watchdog reports the worker left waiting. Then ten photos, with stages
//!    slow enough to see, go through both pipelines and are drawn on one
//!    time axis ([`drawing`]), a lane per worker: the polling workers idle
//!    between items, the channel stages working at the same time.
//! 6. **Throughput**: items per second end to end — polling against channels
//!    with buffers of 1, 64 and 1,024 — with the CPU time each spent. A
//!    buffer of one costs a thread wake-up per item (tens of thousands of
//!    items a second); a buffer of 1,024 lets the stages run in bursts
//!    (millions a second).
//!
//! ## Run it
//!
//! ```text
//! cargo run -p bw55-queue
//! cargo run -p bw55-queue -- --items 1000000 --workers 1,1,1 --capacity 1024
//! cargo test -p bw55-queue
//! cargo bench -p bw55-queue
//! cargo run -p bw55-queue -- --book-items 100 --items 1000 --trace queue.json
//! ```
//!
//! `--trace FILE` writes a Chrome trace (open it in <https://ui.perfetto.dev>
//! or `chrome://tracing`): a lane per stage worker (`resize #2`), a
//! `stage job` span for every item it handles.
//!
//! ## The key idea
//!
//! A queue between threads is three promises, not one: *hand items over*
//! safely, *wait* without spinning when there is nothing to do (or no room),
//! and *say when it is over*. The hand-made queue keeps only the first.
//! [`crossbeam_channel`] keeps all three: `recv` parks the thread until an
//! item or the end arrives, `send` on a bounded channel parks the producer
//! until there is room, and the channel ends itself when the last sender is
//! dropped — so a `for item in rx` loop *is* the worker, start to finish.
//!
//! ```
//! use crossbeam_channel::bounded;
//!
//! let (jobs_tx, jobs_rx) = bounded::<u32>(1);
//! let other_tx = jobs_tx.clone();
//! let consumer = std::thread::spawn(move || jobs_rx.iter().sum::<u32>());
//! jobs_tx.send(1).expect("the consumer holds the receiver");
//! other_tx.send(2).expect("the consumer holds the receiver");
//! // No sentinel: dropping the last sender ends the consumer's loop.
//! drop(jobs_tx);
//! drop(other_tx);
//! assert_eq!(consumer.join().expect("the consumer does not panic"), 3);
//! ```
//!
//! ## How Rust differs from the Python original
//!
//! - **No sentinel.** Python's `Queue` cannot tell "empty for now" from
//!   "finished", so the book invents `ClosableQueue`, puts one `SENTINEL` per
//!   worker, and closes the stages one by one from the main thread. A
//!   crossbeam channel counts its [`Sender`](crossbeam_channel::Sender)s;
//!   `recv` returns `Err` once the channel is empty and the count is zero.
//!   Each worker owns a sender to the next stage, so the next stage ends
//!   exactly when the last worker before it ends, by itself.
//! - **`task_done` cannot be forgotten.** It is the drop of a value that
//!   travels with the job ([`task_done`]), so it happens on every path out,
//!   panics included. In Python an exception before `task_done()` makes
//!   `join()` wait forever.
//! - **The stop hack does not compile.** The book stops a worker by setting
//!   its `in_queue` to `None` from another thread. A Rust thread owns its
//!   values; another thread cannot reach in and swap one. Stopping has to be
//!   designed in — a shared [`AtomicBool`](std::sync::atomic::AtomicBool) in
//!   the "before", a closed channel in the "after".
//! - **Errors reach the caller.** A panic in a stage stops the pipeline and
//!   comes back from [`Pipeline::finish`](pipeline::Pipeline::finish) as
//!   [`PipelineError::Panicked`](pipeline::PipelineError::Panicked); every
//!   thread is joined first. In the book's pipeline a dying worker leaves the
//!   others waiting forever.
//! - **Every thread is joined, by construction.** The pipeline's threads are
//!   [scoped](std::thread::scope): they may borrow the caller's data, and the
//!   scope cannot return while one is still running.
//! - **`maxsize=0` means the opposite.** Python's `Queue(0)` is unbounded;
//!   `crossbeam_channel::bounded(0)` is a rendezvous channel with no buffer
//!   at all. Here a zero capacity is refused with an error.
//! - **No GIL.** Two cores really run two stages at once, so the channel
//!   pipeline moves millions of items a second, and a spinning worker really
//!   takes a core away from the others.
//!
//! See also: [`crossbeam_channel::bounded`], [`crossbeam_channel::Receiver::iter`],
//! [`std::sync::mpsc::sync_channel`] (the standard library's bounded channel,
//! whose receiver cannot be cloned, so one stage cannot have several workers
//! without a lock), [`std::thread::scope`], [`crossbeam::sync::WaitGroup`].

pub mod bounded;
pub mod busy_queue;
pub mod drawn;
pub mod measure;
pub mod photos;
pub mod pipeline;
pub mod platform;
pub mod sentinel;
pub mod task_done;
pub mod work;

pub use drawn::drawing;
