//! # Item 62: mix threads and coroutines to ease the transition to async
//!
//! Start here: `examples/core.rs`, the item in one page. Run it with
//! `cargo run -p bw62-mix --example core`, break it with `-- --break`, and read
//! it; then run the demo (`cargo run -p bw62-mix`), then read `src/` and
//! `tests/`.
//!
//! *Effective Python*, 2nd ed., item 62 — "asyncio로 쉽게 옮겨갈 수 있도록
//! 스레드와 코루틴을 함께 사용하라".
//!
//! A real program is not rewritten from threads to async in one commit. The
//! book's point is that the two can **coexist** while the code moves over,
//! one function at a time, with the program working at every step. It shows
//! this on a log merger: several files grow line by line, and "tailers"
//! follow them and merge every line into one output. This crate ports the
//! four versions of that merger and proves each one correct on real, growing
//! files.
//!
//! ## What you'll see
//!
//! | step | module | the book's code | what it is |
//! |---|---|---|---|
//! | 1 | [`threads`] | `run_threads`, `tail_file` | a thread per file; the output behind a `Mutex` |
//! | 2 | [`mixed`] | `run_tasks_mixed` | top-down: async entry point, the *unchanged* blocking `tail_file` on [`spawn_blocking`](tokio::task::spawn_blocking), each write handed back to the runtime with [`Handle::block_on`](tokio::runtime::Handle::block_on) |
//! | 3 | [`tasks`] | `tail_async`, `run_tasks` | fully async: a task per file, `tokio::fs` reads, the runtime's timer between polls |
//! | 4 | [`bottom_up`] | `tail_file` wrapping `tail_async` | bottom-up: the thread API of step 1 kept, each thread running step 3's async tailer on its own current-thread runtime |
//!
//! Around them: the writers ([`workload`], the book's `write_random_data`,
//! reproducible thanks to a seeded generator in [`rng`]), the line splitting
//! shared by blocking and async tailers ([`lines`]), the stop signal both
//! worlds wait on ([`stop`]), the checker ([`verify()`], the book's
//! `confirm_merge`), one harness that drives any version ([`merge`]), and a
//! thread counter for the demo ([`probe`]).
//!
//! ## Run it
//!
//! ```text
//! cargo run -p bw62-mix                      # the book's scenario, a burst, the book's shutdown
//! cargo run -p bw62-mix -- --version tasks   # one version only
//! cargo run -p bw62-mix -- --help
//! cargo run -p bw62-mix -- --trace mix.json  # a Chrome trace: a lane per tailer
//! cargo test -p bw62-mix
//! cargo bench -p bw62-mix                    # lines/s of each version
//! ```
//!
//! ## The key idea: two routes, every step runnable
//!
//! **Top-down** (steps 1 → 2 → 3). Make the entry point async first; push
//! every blocking call it makes onto the blocking pool (the book's
//! `run_in_executor`); where that blocking code must reach state the runtime
//! now owns, go back through the runtime (`run_coroutine_threadsafe`, here
//! `Handle::block_on`). Then walk down, turning each blocking function into an
//! async one until no `spawn_blocking` is left.
//!
//! **Bottom-up** (step 3's leaf, then step 4). Write the async version of a
//! leaf first; keep its old blocking signature as a thin wrapper that runs the
//! async version on a runtime (the book's `run_until_complete`, here
//! [`Runtime::block_on`](tokio::runtime::Runtime::block_on)); callers do not
//! notice. Then move up a level, and delete wrappers nobody calls.
//!
//! Either way the program works after each step, and the same test checks
//! it: here every version runs through [`merge::run_merge`] and must pass the
//! same [`verify()`].
//!
//! ## Stopping without losing a line
//!
//! The book stops its tailers by closing their files one second after start;
//! a line written later is silently dropped (and its `readline` can return a
//! half-written line as if it were whole). Here:
//!
//! - a tailer only ever emits **complete** lines ([`LineBuffer`]); a fragment
//!   waits for its newline;
//! - the [`Stop`] signal is raised only **after every writer is joined**;
//! - a tailer looks at the signal *before* each read, and finishes only when
//!   a read that began after it saw the signal finds nothing new — so the
//!   last read is a complete drain;
//! - a final fragment with no newline (a writer that died mid-line) is kept,
//!   terminated with a newline so it cannot run into another file's line.
//!
//! The demo also runs the book's fixed-deadline shutdown once and shows
//! [`verify()`] naming the first lost line.
//!
//! ## How Rust differs from the Python original
//!
//! - **Two worlds, both typed.** Python's `run_in_executor` and
//!   `run_coroutine_threadsafe` take any callable; tokio's `spawn_blocking`
//!   demands a `Send + 'static` closure, and `Handle::block_on` panics if called
//!   on a runtime worker thread — the compiler and the runtime catch the
//!   migration's classic mistakes (sharing non-thread-safe state, blocking the
//!   event loop from inside it) that Python leaves to chance.
//! - **The runtime is a library.** Step 4's "event loop per thread" is a
//!   value: a `current_thread` [`Runtime`](tokio::runtime::Runtime) built,
//!   used and dropped inside the thread, no global `set_event_loop`.
//! - **Threads run in parallel.** There is no GIL; step 1 is not a toy, and on
//!   a burst of lines it keeps up with the fully async step 3. What async
//!   buys here is not speed but cost per *idle* tailer: the demo counts 50
//!   threads for 50 files in step 1 and a handful in step 3
//!   ([`probe`], and the `threads_held` test).
//! - **Locks own their data.** Step 1's `Mutex<BufWriter<File>>` cannot be
//!   written without locking; the async output uses tokio's mutex because its
//!   lock is held across an `.await` (see [`output`]).
//! - **File reads are not truly async.** `tokio::fs` runs each read on the
//!   blocking pool, as asyncio's `run_in_executor(None, readline, ...)` does.
//!
//! ## Docs
//!
//! - [`tokio::task::spawn_blocking`], [`tokio::runtime::Handle::block_on`],
//!   [`tokio::runtime::Builder::new_current_thread`], [`tokio::fs::File`],
//!   [`tokio::sync::Notify`], [`std::thread::scope`], [`std::sync::Condvar`].
//! - Tokio's guide on bridging with synchronous code:
//!   <https://tokio.rs/tokio/topics/bridging>.

pub mod bottom_up;
pub mod lines;
pub mod merge;
pub mod mixed;
pub mod output;
pub mod probe;
pub mod rng;
pub mod stop;
pub mod tasks;
pub mod threads;
pub mod verify;
pub mod workload;

pub use bottom_up::{run_threads_bottom_up, tail_file_via_async};
pub use lines::LineBuffer;
pub use merge::{MergeRun, Shutdown, Version, run_merge};
pub use mixed::run_tasks_mixed;
pub use output::AsyncOutput;
pub use stop::Stop;
pub use tasks::{AsyncWriteFunc, run_tasks, tail_async};
pub use threads::{run_threads, tail_file};
pub use verify::{Verified, VerifyError, verify};
pub use workload::{Workload, Writers};
