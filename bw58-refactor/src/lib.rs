//! # Item 58: understand how using queues for concurrency requires refactoring
//!
//! Start here: `examples/core.rs`, the item in one page. Run it with
//! `cargo run -p bw58-refactor --example core`, break it with `-- --break`, and
//! read it; then run the demo (`cargo run -p bw58-refactor`), then read `src/`
//! and `tests/`.
//!
//! *Effective Python*, 2nd ed., item 58 (동시성과 Queue를 사용하기 위해 코드를
//! 어떻게 리팩터링해야 하는지 이해하라). Item 57 started a thread per cell per
//! generation and paid for every one of them. The book's next idea is the
//! opposite shape: a **fixed set of long-lived worker threads** fed through
//! queues. The coordinator fans the cells out as `(y, x, state, neighbors)`
//! messages, the workers run `game_logic` with its I/O, and the results fan
//! back in as `(y, x, next_state)`. The threads are created once; the number
//! of them, and of I/O calls in flight, is chosen by the program instead of
//! by the grid.
//!
//! The price is the subject of the item: the code has to be **restructured**
//! around the queues. The simple `simulate` loop becomes a coordinator, a
//! worker function, message types, shutdown logic and error plumbing — and
//! when `count_neighbors` turns out to do I/O too, the pipeline must grow a
//! second phase, with a channel between the phases and a careful order of
//! shutdown.
//!
//! ## What you'll see
//!
//! `cargo run -p bw58-refactor` runs the same grid with item 57's thread per
//! cell (the "before"), the one-phase [`Pipeline`] and the [`TwoPhasePipeline`]
//! (the "after"), checks they agree, and prints each time against the limit a
//! fixed set of workers can reach (`ceil(I/O calls / workers) × latency`),
//! and draws one generation of the glider both ways on one time axis
//! ([`drawing`]): a lane per cell, all waiting at once, against four worker
//! lanes taking the cells' waits in turns.
//! Then it turns neighbour I/O on and shows why the second phase exists: the
//! one-phase pipeline does those waits one by one in the caller. It ends by
//! counting the lines each version of the step takes, from item 56's serial
//! loop to the two-phase pipeline, and by running both pipelines with a
//! channel capacity of 1 on a 10×10 grid, which a naive send-everything-first
//! coordinator could not survive.
//!
//! ## Run it
//!
//! ```text
//! cargo run -p bw58-refactor
//! cargo run -p bw58-refactor -- --height 37 --width 23 --generations 7 --seed 99
//! cargo run -p bw58-refactor -- --strategy pipeline --workers 4 --capacity 1
//! cargo test -p bw58-refactor
//! cargo bench -p bw58-refactor
//! ```
//!
//! ## The key idea
//!
//! Queues bound the concurrency and reuse the threads, but they turn a
//! function call into a protocol. Four things must now be designed that the
//! serial loop never had:
//!
//! 1. **Messages** carry everything a worker needs, because a long-lived
//!    worker cannot borrow the caller's data: the I/O settings and, in the
//!    second phase, the old grid travel as `Arc`s.
//! 2. **Errors are values** sent back with the cell's coordinates, and a
//!    panic in a cell is caught in the worker ([`std::panic::catch_unwind`]):
//!    a worker that died would leave a result missing and the coordinator
//!    waiting forever.
//! 3. **No deadlock on bounded channels.** The book puts every job into the
//!    queue before reading any result, which works only because Python's
//!    queues there are unbounded. With bounded channels the coordinator must
//!    drain results while it fans out: it waits on the send *or* a receive,
//!    with crossbeam's [`Select`](crossbeam_channel::Select).
//! 4. **Shutdown.** Dropping a pipeline closes its channels — a closed
//!    channel ends each worker's `for job in receiver` loop, no sentinel
//!    needed — and joins every worker. [`LiveWorkers`] counts the worker
//!    threads so tests can prove none is left.
//!
//! ## How Rust differs from the Python original
//!
//! - The book's `ClosableQueue` and `StoppableWorker` are not needed:
//!   crossbeam channels close when their last sender is dropped, and a
//!   receiver's iterator ends there.
//! - Where the book passes `grid.get` to the neighbour workers — a method of
//!   a grid that is mutable — the two-phase pipeline shares an `Arc<Grid>`,
//!   through which the old grid cannot be modified: the "every count reads
//!   the old generation" rule is enforced by the type.
//! - Item 57's scoped threads could borrow the grid because they ended with
//!   the generation. Workers that live across generations cannot, which is
//!   why the messages carry `Arc`s: the lifetime of the threads decides what
//!   they may borrow.
//! - Threads run in parallel (no GIL); here it hardly matters, since the
//!   workers mostly wait.
//!
//! See also: [`crossbeam_channel::bounded`], [`crossbeam_channel::Select`],
//! [`std::panic::catch_unwind`], [`std::thread::Builder`].

pub mod code_size;
mod drawn;
mod fan;
mod pipeline;
mod two_phase;
mod workers;

pub use drawn::drawing;
pub use pipeline::Pipeline;
pub use two_phase::TwoPhasePipeline;
pub use workers::LiveWorkers;
