//! # Item 60: achieve highly concurrent I/O with coroutines
//!
//! Start here: `examples/core.rs`, the item in one page. Run it with
//! `cargo run -p bw60-coroutines --example core`, break it with `-- --break`,
//! and read it; then run the demo (`cargo run -p bw60-coroutines`), then read
//! `src/` and `tests/`.
//!
//! *Effective Python*, 2nd ed., item 60 (I/O를 할 때는 코루틴을 사용해 동시성을
//! 높여라). Items 57–59 overlapped the Game of Life's per-cell I/O with
//! threads: one per cell (each costs a stack and a system call, and the OS
//! runs out of them), or a fixed set of workers (cheap, but then only that
//! many cells wait at a time: 10 workers need 1 s for 10,000 cells). A
//! **coroutine** — in Rust, a future — removes the trade-off: a waiting cell
//! is a few hundred bytes of state, not a thread, so every cell of a grid can
//! wait at once, and one generation of a million cells takes well under a
//! second on two cores.
//!
//! ## What you'll see
//!
//! `cargo run -p bw60-coroutines` prints, in under four seconds:
//!
//! 1. **before and after**: the same 100×100 grid on item 59's pool of 10
//!    threads (about 1 s) and on four async runtimes — `tokio`,
//!    `tokio-current-thread`, `smol`, `async-std` — each in a few
//!    milliseconds, all checked equal and each with its `final:` line —
//!    then a drawing ([`drawing`]): eight cells' waits on a pool of two
//!    threads, and as eight futures on one thread, all waiting at once;
//! 2. **async spreads up the call chain**: the book's step 1 (`game_logic`
//!    awaited, `count_neighbors` still a blocking call) against step 2 (both
//!    awaited) when `count_neighbors` does I/O: the blocking call stalls the
//!    runtime's thread, `cells × latency` again; the awaited one does not;
//! 3. **spawn or join**: a task per cell (what `asyncio.gather` does) against
//!    all futures joined in one task, at 100,000 cells, with the peak memory
//!    per cell measured in a fresh process;
//! 4. **a failing cell** on every runtime and fan-out: the error names the
//!    cell, and the gauge on the cells' I/O shows that nothing is still
//!    waiting when the error is returned and nothing starts afterwards;
//! 5. **the series**: serial (56), a thread per cell (57), the pipeline (58),
//!    the pool (59) and tokio (60) on the same grids of 100 to 100,000 cells.
//!
//! `--scale` adds 1,000,000 cells on every runtime, with the course's targets
//! (tokio: 100,000 cells ≤ 0.15 s; 1,000,000 cells ≤ 1.0 s and ≤ 1 KiB of
//! peak memory per cell).
//!
//! ## Run it
//!
//! ```text
//! cargo run -p bw60-coroutines
//! cargo run -p bw60-coroutines -- --scale
//! cargo run -p bw60-coroutines -- --height 37 --width 23 --generations 7 --seed 99
//! cargo run -p bw60-coroutines -- --strategy smol --fanout spawn --height 1000 --width 1000
//! cargo run -p bw60-coroutines -- --strategy tokio --height 4 --width 5 --trace tokio.json
//! cargo bench -p bw60-coroutines
//! ```
//!
//! ## The key idea
//!
//! An `async fn` does not run when called: it returns a **future**, a struct
//! the compiler generates to hold the function's state between its `.await`s.
//! Awaiting an I/O call that is not ready *suspends* the future — `poll`
//! returns `Pending` and the thread moves on to another future — and the
//! runtime polls it again when its timer (or socket) is ready. A cell's
//! future here is 408 bytes on tokio ([`cell_future_bytes`]); a thread
//! (item 57) holds about 8 KiB resident and reserves 2 MiB of address space
//! for its stack. That is why a million cells can wait at once.
//!
//! The book ports the Game of Life to coroutines in two steps, and so does
//! this crate:
//!
//! - [`async_logic`]: `game_logic` does I/O, so it is awaited, which makes
//!   `step_cell` async, which makes [`simulate`] async, which the synchronous
//!   program enters through the runtime's `block_on` (`asyncio.run`):
//!   **every caller of an async fn becomes async**, up to the entry point.
//! - [`async_neighbors`]: `count_neighbors` does I/O too. The chain is
//!   already async, so the change is one `.await` — where item 58's queue
//!   pipeline had to grow a whole second phase.
//!
//! A generation fans out a future per cell and fans in their results
//! ([`simulate`]). How to run a million futures is a choice ([`Fanout`]):
//! [spawn](Fanout::Spawn) each as a runtime task, as `asyncio.gather` does,
//! or [join](Fanout::Join) them inside one task with a
//! [`FuturesUnordered`](futures::stream::FuturesUnordered). Measured here,
//! joining takes about 30% less time (0.51 s instead of 0.73 s for a million
//! cells, release) and two thirds of the memory (about 470 instead of 700
//! bytes per cell) — the cells only wait, so one polling thread is plenty.
//! It is the default; spawning is what lets cells that *compute* use every
//! core.
//!
//! ## The pieces
//!
//! - [`async_logic::step_cell`] and [`async_neighbors::step_cell`]: the
//!   book's two async `step_cell`s, one line apart.
//! - [`simulate`]: one generation, written once for any [`Runtime`]; the
//!   first failing cell cancels the others ([`CellStep`] picks the step,
//!   [`Fanout`] spawn or join).
//! - [`Runtime`]: spawn, cancel, a timer, `block_on`; implemented by
//!   [`Tokio`] (multi-thread and current-thread), [`Smol`] and [`AsyncStd`].
//! - [`AsyncStrategy`] / [`async_strategy`]: a runtime as a
//!   [`bw56_life::Strategy`], named as the command line spells it
//!   ([`ASYNC_STRATEGIES`]).
//! - [`failure`]: a failing generation and the evidence that it stopped.
//! - [`footprint`]: time and peak memory per cell, in a fresh process.
//! - [`series`]: items 56–60 on the same grids.
//! - [`drawing`]: the small run the demo draws, recorded from the cells'
//!   `cell io` spans ([`record_waits`]).
//!
//! ## How Rust differs from the Python original
//!
//! - **The event loop is a library, and there are several.** Python has
//!   `asyncio`; Rust's `async`/`.await` need a runtime to poll futures, and
//!   the program picks one. The simulation is written once against a small
//!   trait ([`Runtime`]: spawn, cancel, sleep, `block_on`) and runs on tokio,
//!   smol and async-std; the timer each cell awaits is passed in through
//!   [`bw56_life::Timer`]. **async-std is discontinued (RUSTSEC-2025-0052)**:
//!   it is here only because older material uses it, and new code should use
//!   [smol](https://docs.rs/smol), its successor, built on the same pieces.
//! - **Futures are lazy and typed.** Calling a coroutine function without
//!   `await` in Python creates an object and, at best, warns that it "was
//!   never awaited". In Rust the un-awaited call is a future, not a value:
//!   using it as a count does not compile (E0308), and `.await` outside an
//!   async function does not either (E0728) — both shown as `compile_fail`
//!   examples in [`async_neighbors`].
//! - **Concurrency without tasks.** A Python coroutine runs concurrently only
//!   as a task, so `gather` makes one per coroutine. Rust can poll many
//!   futures from one task ([`Fanout::Join`]); spawning is needed for
//!   parallelism or for futures that must outlive their caller, and it
//!   demands `Send + 'static` futures, which is why each generation's grid is
//!   shared through one `Arc` and every cell returns its state instead of
//!   calling the book's `set`.
//! - **Threads, if you want them.** asyncio runs coroutines on one thread;
//!   tokio's default runtime, smol's executor here and async-std's poll
//!   tasks on one thread per core, so a spawned cell may resume on another
//!   thread than it started on (hence `Send`). `tokio-current-thread` is the
//!   asyncio-like single-threaded flavour.
//! - **Failure cancels.** When one awaitable fails, `gather` raises at once
//!   without cancelling the other tasks; in the book they are cancelled a
//!   moment later by `asyncio.run`, which cancels whatever is still pending
//!   when `simulate` raises (under one long-lived loop they would run on).
//!   Here `simulate` cancels the other cells itself — in Rust cancelling a
//!   future is dropping it — and returns only after they are gone. A panicking cell becomes a
//!   [`SimulationError`](bw56_life::SimulationError) naming it, like an I/O
//!   error.
//! - **Blocking is not caught for you.** asyncio's debug mode warns about
//!   slow callbacks; Rust runtimes say nothing when a future blocks its
//!   thread. Step 1 with neighbour I/O shows the cost (item 63 builds a
//!   detector).
//! - **Cooperative budgets.** tokio makes a task yield after about 128 timer
//!   or handle polls so one task cannot hog a thread. For a task that itself
//!   polls a million futures that is counterproductive (measured: quadratic),
//!   so the generation's driver runs [`unconstrained`](tokio::task::unconstrained);
//!   see [`Tokio`].
//!
//! See also: [`std::future::Future`], [`std::task::Poll`],
//! [`tokio::task::JoinSet`] (tokio's own set of tasks that aborts them on
//! drop), [`futures::stream::FuturesUnordered`], [`smol::Executor`],
//! [`tokio::runtime::Builder`].

pub mod async_logic;
pub mod async_neighbors;
mod drawn;
pub mod failure;
pub mod footprint;
mod runtime;
pub mod series;
mod simulate;
mod strategy;

pub use drawn::{DrawnRun, drawing, record_waits, row_per_wait};
pub use runtime::{
    AsyncStd, AsyncStdTimer, Runtime, Smol, SmolTimer, Tokio, TokioTask, TokioTimer,
};
pub use simulate::{CellStep, Fanout, cell_future_bytes, simulate};
pub use strategy::{ASYNC_STRATEGIES, AsyncStrategy, async_strategy};
