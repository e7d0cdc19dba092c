//! # Item 59: consider `ThreadPoolExecutor` when threads are necessary for concurrency
//!
//! Start here: `examples/core.rs`, the item in one page. Run it with
//! `cargo run -p bw59-threadpool --example core`, break it with `-- --break`,
//! and read it; then run the demo (`cargo run -p bw59-threadpool`), then read
//! `src/` and `tests/`.
//!
//! *Effective Python*, 2nd ed., item 59 (동시성을 위해 스레드가 필요한 경우에는
//! ThreadpoolExecutor를 사용해라). Item 57 started a thread per cell, which does
//! not scale; item 58 kept a few long-lived workers behind channels, which
//! scales but rewrites the program. A **thread pool** keeps the shape of the
//! serial code — call a function per cell, collect the results — and caps the
//! concurrency at the pool's size.
//!
//! ## What you'll see
//!
//! `cargo run -p bw59-threadpool` runs one generation of a 100×100 grid with
//! 1 ms of I/O per cell, first on item 58's queue pipeline ("before"), then on
//! a pool of 10 workers ("after"). Both finish near the limit
//! `ceil(cells / workers) × latency` = 1.0 s, and both produce the same grid.
//! Then it shows which pool fits which work: on the I/O workload rayon's
//! CPU-sized pool is 5× slower than the pool of 10, while on the pure rules
//! (no I/O) rayon wins by far and the pool's per-job cost dominates.
//!
//! ## Run it
//!
//! ```text
//! cargo run -p bw59-threadpool
//! cargo run -p bw59-threadpool -- --workers 20 --height 50 --width 50
//! cargo run -p bw59-threadpool -- --strategy pool --height 37 --width 23 --generations 7 --seed 99
//! cargo bench -p bw59-threadpool
//! ```
//!
//! ## The key idea
//!
//! [`simulate_pool`] is the book's `simulate_pool`: submit one job per cell
//! ([`Pool::submit`], the executor's `submit`), then wait for each
//! [`JobHandle::result`] (`future.result()`). The first error comes back to
//! the caller as a `SimulationError` naming the cell — the executor re-raising
//! the job's exception. The pool is created once ([`PoolStrategy::new`]) and
//! serves every generation; dropping it shuts its threads down.
//!
//! The cost is the cap itself: with 10 workers, 10,000 cells wait in 1,000
//! rounds of 1 ms. A bigger pool is faster until threads become the problem
//! again (item 57); for tens of thousands of concurrent waits, coroutines
//! (item 60).
//!
//! ## Which pool?
//!
//! See [`which_pool`]: rayon for CPU work (threads = cores, tiny per-item
//! overhead, work stealing), a pool sized for waiting for blocking I/O (a
//! dedicated one like [`Pool`], or tokio's `spawn_blocking` with
//! `max_blocking_threads`). This lesson's workload is I/O-bound, so it uses
//! the dedicated pool, sized by `--workers` — how many requests the I/O peer
//! should see at once, not how many cores there are.
//!
//! ## How Rust differs from the Python original
//!
//! - A job runs on a thread that outlives the call that submitted it, so it
//!   must own its data (`'static`): the grid goes into an [`Arc`](std::sync::Arc)
//!   once per generation. (Scoped threads, item 57, avoid that for threads
//!   started and joined in one scope; a pool's threads are not.)
//! - Each job returns its cell's state instead of calling `set` on a shared
//!   grid, so the new grid needs no lock.
//! - A panic in a job is caught on the worker (`catch_unwind`) and handed to
//!   the waiter, like an exception in a future; the worker lives on.
//! - The pool is a small piece of library code ([`pool`]), not part of the
//!   language runtime: 100 lines of std threads and channels.
//!
//! See also: [`std::thread::Builder`], [`crossbeam_channel`],
//! [`bw64_parallel::RayonLife`], [`tokio::task::spawn_blocking`].

mod drawn;
pub mod pool;
mod simulate;
pub mod which_pool;

pub use drawn::drawing;
pub use pool::{JobHandle, Pool};
pub use simulate::{PoolStrategy, simulate_pool};
pub use which_pool::TokioBlockingStrategy;
