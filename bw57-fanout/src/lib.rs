//! # Item 57: avoid creating new threads for on-demand fan-out
//!
//! Start here: `examples/core.rs`, the item in one page. Run it with
//! `cargo run -p bw57-fanout --example core`, break it with `-- --break`, and
//! read it; then run the demo (`cargo run -p bw57-fanout`), then read `src/`
//! and `tests/`.
//!
//! *Effective Python*, 2nd ed., item 57 (요구에 따라 팬아웃을 진행하려면 새로운
//! 스레드를 생성하지 말라). Item 56 ended with a Game of Life whose every cell
//! waits on I/O, one cell after another. The most direct fix is **fan-out on
//! demand**: start a new thread for every cell, let all their waits overlap,
//! then **fan in** by joining them all before the next generation. It works —
//! and this lesson measures why it is still the wrong tool.
//!
//! ## What you'll see
//!
//! `cargo run -p bw57-fanout` runs the same grid serially (item 56, the
//! "before") and with a thread per cell, in the book's form and with Rust's
//! scoped threads (the "after"), checks that all three agree, and prints:
//!
//! 1. the **win**: on a small grid with 1 ms of I/O per cell, a thread per
//!    cell beats serial by a wide margin, because the waits overlap;
//! 2. the **cost curve**: the time per thread (create, run, join) and the
//!    peak memory as the grid grows from 100 to 10,000 cells. Every cell pays
//!    for a thread of its own, every generation; with nothing to wait for,
//!    a thread per cell is well over a thousand times slower than the serial
//!    loop (a thread costs tens of microseconds, a cell tens of nanoseconds),
//!    and every thread holds its stack until it is joined;
//! 3. **failures**: a cell whose I/O fails and a cell that panics, each
//!    reported with its coordinates; and a child process whose thread limit
//!    is lowered, where starting a thread is *refused* partway through a
//!    generation — reported as an error, every started thread joined.
//!
//! ## Run it
//!
//! ```text
//! cargo run -p bw57-fanout
//! cargo run -p bw57-fanout -- --height 37 --width 23 --generations 7 --seed 99
//! cargo run -p bw57-fanout -- --strategy scoped --latency 500us
//! cargo test -p bw57-fanout
//! cargo bench -p bw57-fanout
//! ```
//!
//! ## The key idea
//!
//! A thread per item makes the *input* decide how many threads exist. Each
//! one costs a system call to create, a stack, scheduler work and a join; the
//! count has no upper bound, so a large enough input runs the system out of
//! threads, and the program must then cope with a failure it never had
//! before. Worse, a thread's failure reaches no caller unless someone joins it
//! and looks: in the book's version an exception raised in a cell thread is
//! printed as a traceback on stderr, and the simulation carries on as if the
//! cell had finished. Items 58 and 59 replace the on-demand threads with a fixed number
//! of long-lived ones.
//!
//! ## The pieces
//!
//! - [`LockingGrid`]: the book's grid behind a lock.
//! - [`simulate_threaded`] / [`ThreadPerCell`] (`thread-per-cell`): the
//!   book's fan-out — `std::thread` per cell, writing into a `LockingGrid`.
//! - [`simulate_scoped`] / [`Scoped`] (`scoped`): the same fan-out with
//!   [`std::thread::scope`]: threads borrow the old grid and return their
//!   cell through `join`; no lock, no `Arc`.
//! - [`CellThreads`]: how cell threads are started (stack size, a gauge of
//!   threads alive); [`ThreadStartError`] when the OS refuses one.
//! - [`cost`]: time per thread and peak memory of a generation.
//! - [`drawing`]: eight cells serially and with a thread per cell, drawn
//!   from their recorded waits on one time axis.
//! - [`start_failure`]: the child process in which thread creation fails.
//! - [`platform`]: why that experiment runs on Linux only.
//!
//! ## How Rust differs from the Python original
//!
//! - **Threads run in parallel** (no GIL), but that does not matter here: the
//!   cells wait, they do not compute.
//! - **Sharing is checked by the compiler.** `std::thread::spawn` demands a
//!   `'static` closure, so the book's version needs `Arc`s to share the grids
//!   (a borrowed grid is a compile error, E0373, shown in
//!   [`simulate_threaded`]), and writing to one grid from many threads needs
//!   the lock ([`LockingGrid`] shows the E0499 error without it). Scoped
//!   threads lift the `'static` requirement because the scope joins them, so
//!   [`simulate_scoped`] borrows the old grid and builds the new one from the
//!   join results — the lock disappears rather than being made cheaper.
//! - **A failure in a thread is a value you must collect.** Python prints an
//!   exception raised in a `Thread` and carries on: the book has to add
//!   error plumbing by hand. In Rust, [`JoinHandle::join`] returns the
//!   thread's result or its panic payload; both strategies join *every*
//!   thread, even after an error, and return the first failure as a
//!   [`SimulationError`](bw56_life::SimulationError) naming the cell.
//! - **Refused threads.** `std::thread::spawn` panics when the OS refuses a
//!   thread; [`std::thread::Builder::spawn`] returns the `io::Error`, which
//!   this crate turns into an error naming the cell that could not start.
//!
//! See also: [`std::thread::scope`], [`std::thread::Builder`],
//! [`std::sync::Mutex`], [`std::sync::Arc`], and
//! [`std::thread::available_parallelism`].
//!
//! [`JoinHandle::join`]: std::thread::JoinHandle::join

mod cell_thread;
pub mod cost;
mod drawn;
mod locking_grid;
pub mod platform;
mod scoped;
pub mod start_failure;
mod thread_per_cell;

pub use cell_thread::{CellThreads, ThreadStartError, thread_start_failure};
pub use drawn::drawing;
pub use locking_grid::LockingGrid;
pub use scoped::{Scoped, simulate_scoped};
pub use thread_per_cell::{ThreadPerCell, simulate_threaded};
