//! The small runtime abstraction the simulation is written against: spawn a
//! task, cancel it, sleep, and run a future to completion.
//!
//! Python has one event loop, `asyncio`, built into the language's library.
//! Rust's `async fn` only *describes* a computation; something else must poll
//! it, and that something is a library: a **runtime**. The simulation in
//! [`simulate`](crate::simulate()) is written once, against the [`Runtime`]
//! trait below, and runs unchanged on four of them:
//!
//! | strategy name            | runtime | threads polling tasks |
//! |--------------------------|---------|-----------------------|
//! | `tokio`                  | [`Tokio::multi_thread`] | one per core |
//! | `tokio-current-thread`   | [`Tokio::current_thread`] | only the caller's (like `asyncio.run`) |
//! | `smol`                   | [`Smol`] | one per core, plus the caller's while it waits |
//! | `async-std`              | [`AsyncStd`] | a global pool, one per core |
//!
//! async-std is **discontinued** (RUSTSEC-2025-0052): it gets no fixes, and
//! new code should not depend on it. It is here only because older books and
//! posts use it; its authors point to [smol](https://docs.rs/smol), whose
//! building blocks (`async-executor`, `async-io`) async-std was running on
//! anyway.
//!
//! The trait is deliberately tiny. What differs between runtimes, and what
//! the trait hides, is mostly what *dropping a task handle* means:
//!
//! - tokio's [`JoinHandle`](tokio::task::JoinHandle) **detaches** on drop: the
//!   task keeps running with nobody to see its result. Cancelling takes
//!   [`abort`](tokio::task::JoinHandle::abort).
//! - smol's [`Task`](smol::Task) **cancels** on drop; [`smol::Task::detach`]
//!   is the explicit way to let it run on.
//! - async-std's [`JoinHandle`](async_std::task::JoinHandle) detaches on drop,
//!   like tokio's; its `cancel` is an `async fn`.
//!
//! [`Runtime::cancel`] gives all three one meaning: stop the task *and wait
//! until its future has been dropped*, so a caller that awaited it knows the
//! cell's I/O is over, not merely that it was asked to stop.

use std::future::Future;
use std::io;
use std::panic;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::thread;
use std::time::Duration;

use bw56_life::Timer;

/// What the simulation needs from an async runtime.
///
/// `spawn` starts a task that runs concurrently with the caller (the book's
/// `asyncio.create_task`, which `asyncio.gather` does for each coroutine);
/// awaiting the returned handle gives the task's output. `block_on` is the
/// runtime's entry point (the book's `asyncio.run`): the one place where
/// synchronous code waits for asynchronous code.
pub trait Runtime {
    /// The runtime's timer, copied into every cell for its I/O wait.
    type Timer: Timer + Copy + Send + Sync + 'static;

    /// A spawned task: awaiting it yields the task's output.
    ///
    /// A panic inside the task reaches whoever awaits it (tokio hands it over
    /// as a `JoinError`, which [`TokioTask`] turns back into the panic; smol
    /// and async-std propagate it directly). The cells of this crate catch
    /// their own panics, so that path is only a safety net.
    type Task<T: Send + 'static>: Future<Output = T> + Send + Unpin + 'static;

    /// The name the command line uses for this runtime (`tokio`, `smol`...).
    fn name(&self) -> &'static str;

    /// The timer handed to the cells.
    fn timer(&self) -> Self::Timer;

    /// Starts `future` as a task of its own.
    fn spawn<F>(&self, future: F) -> Self::Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static;

    /// Stops `task` and completes once its future has been dropped (or has
    /// finished first, in which case its output is discarded).
    fn cancel<T: Send + 'static>(task: Self::Task<T>) -> impl Future<Output = ()> + Send;

    /// Runs `future` to completion on this runtime, blocking the calling
    /// thread: the bridge from synchronous `main` into async code.
    fn block_on<F: Future>(&self, future: F) -> F::Output;
}

// --- tokio -------------------------------------------------------------------

/// tokio's timer: [`tokio::time::sleep`]. It needs a tokio runtime (with the
/// time driver enabled) around it when first polled, which every cell has.
#[derive(Clone, Copy, Debug, Default)]
pub struct TokioTimer;

impl Timer for TokioTimer {
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        tokio::time::sleep(duration)
    }
}

/// A tokio runtime, multi-threaded (`tokio`) or on the caller's thread only
/// (`tokio-current-thread`).
///
/// [`Runtime::block_on`] runs the generation's driver future
/// [`unconstrained`](tokio::task::unconstrained): tokio's cooperative budget
/// would otherwise make a driver that polls a hundred thousand joined cells
/// re-poll them all, round after round (3 s instead of 0.07 s measured, and
/// growing with the square of the cells).
#[derive(Debug)]
pub struct Tokio {
    runtime: tokio::runtime::Runtime,
    name: &'static str,
}

impl Tokio {
    /// tokio's work-stealing scheduler with one worker thread per core: tasks
    /// spawned by one cell may run on any core.
    pub fn multi_thread() -> io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .thread_name("tokio-worker")
            .enable_time()
            .build()?;
        Ok(Self {
            runtime,
            name: "tokio",
        })
    }

    /// Everything on the thread that calls `block_on`, as Python's event loop
    /// does: no parallelism at all, and still a million waits can overlap.
    pub fn current_thread() -> io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()?;
        Ok(Self {
            runtime,
            name: "tokio-current-thread",
        })
    }
}

/// A tokio task whose handle yields the task's output itself, as smol's and
/// async-std's do, instead of tokio's `Result<T, JoinError>`.
#[derive(Debug)]
pub struct TokioTask<T>(tokio::task::JoinHandle<T>);

impl<T> Future for TokioTask<T> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        Pin::new(&mut self.0).poll(cx).map(|joined| match joined {
            Ok(value) => value,
            // Hand the panic on to whoever awaits the task, as smol does.
            Err(error) if error.is_panic() => panic::resume_unwind(error.into_panic()),
            // Only `abort` (used by `cancel`, which never polls this wrapper)
            // or dropping the runtime while tasks run can cancel a task; the
            // runtime outlives every `block_on`, so this is a bug if reached.
            Err(error) => panic!("a task was cancelled while still awaited: {error}"),
        })
    }
}

impl Runtime for Tokio {
    type Timer = TokioTimer;
    type Task<T: Send + 'static> = TokioTask<T>;

    fn name(&self) -> &'static str {
        self.name
    }

    fn timer(&self) -> TokioTimer {
        TokioTimer
    }

    fn spawn<F>(&self, future: F) -> TokioTask<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        TokioTask(self.runtime.spawn(future))
    }

    async fn cancel<T: Send + 'static>(task: TokioTask<T>) {
        let handle = task.0;
        // `abort` only *asks*: the task's future is dropped the next time the
        // scheduler gets to it, perhaps on another thread. Awaiting the handle
        // afterwards waits until that has happened (it then returns
        // `Err(cancelled)`, or the value if the task finished first).
        handle.abort();
        let _ = handle.await;
    }

    fn block_on<F: Future>(&self, future: F) -> F::Output {
        // Why `unconstrained`: tokio budgets every task to about 128 timer
        // or join-handle polls before it must yield, and on a runtime thread
        // it *defers* the wake-up of a future that hit the budget. A
        // `FuturesUnordered` holding 100,000 cells then re-polls every
        // waiting cell in each round, only to be refused again — measured
        // here: one generation of 100,000 joined cells on the current-thread
        // runtime took 3.0 s instead of 0.07 s, and the cost grows with the
        // square of the cells. The future run here is the generation's
        // driver; it yields whenever nothing is ready, so it cannot starve
        // the cells it is waiting for.
        self.runtime.block_on(tokio::task::unconstrained(future))
    }
}

// --- smol --------------------------------------------------------------------

/// smol's timer: [`smol::Timer::after`], driven by `async-io`'s reactor.
#[derive(Clone, Copy, Debug, Default)]
pub struct SmolTimer;

impl Timer for SmolTimer {
    async fn sleep(&self, duration: Duration) {
        // The timer's output is the instant it fired; the cells need only
        // the wait.
        smol::Timer::after(duration).await;
    }
}

/// A smol executor with one worker thread per core.
///
/// smol is a toolkit rather than a framework: it gives an [`Executor`]
/// (a queue of tasks) and leaves it to the program to decide which threads
/// run it. Here `cores` threads each call `executor.run(...)` until this
/// value is dropped, and the thread calling [`Runtime::block_on`] runs the
/// executor too while it waits.
///
/// [`Executor`]: smol::Executor
#[derive(Debug)]
pub struct Smol {
    executor: Arc<smol::Executor<'static>>,
    /// Dropped first (see `Drop`): closing the channel ends every worker's
    /// `run`, since each one runs until a message (or the close) arrives.
    stop: Option<smol::channel::Sender<()>>,
    workers: Vec<thread::JoinHandle<()>>,
}

impl Smol {
    /// An executor with `course_support::cores()` worker threads.
    pub fn new() -> io::Result<Self> {
        Self::with_threads(course_support::cores())
    }

    /// An executor with `threads` worker threads (0 is allowed: the caller's
    /// thread then runs every task inside `block_on`).
    pub fn with_threads(threads: usize) -> io::Result<Self> {
        let executor = Arc::new(smol::Executor::new());
        let (stop, stopped) = smol::channel::bounded::<()>(1);
        let mut smol = Self {
            executor,
            stop: Some(stop),
            workers: Vec::with_capacity(threads),
        };
        for i in 0..threads {
            let executor = Arc::clone(&smol.executor);
            let stopped = stopped.clone();
            // If a thread cannot start, returning the error drops `smol`,
            // whose `Drop` stops and joins the workers already started.
            let worker = thread::Builder::new()
                .name(format!("smol-worker-{i}"))
                .spawn(move || {
                    // `recv` fails once every sender is gone: that is the
                    // stop signal, so its result is deliberately ignored.
                    smol::block_on(executor.run(async {
                        let _ = stopped.recv().await;
                    }));
                })?;
            smol.workers.push(worker);
        }
        Ok(smol)
    }
}

impl Drop for Smol {
    fn drop(&mut self) {
        self.stop.take();
        for worker in self.workers.drain(..) {
            // A worker only runs the executor, and tasks' panics are caught
            // by the executor, so a failed join means there is nothing left
            // to clean up; ignoring it keeps `drop` from panicking.
            let _ = worker.join();
        }
    }
}

impl Runtime for Smol {
    type Timer = SmolTimer;
    type Task<T: Send + 'static> = smol::Task<T>;

    fn name(&self) -> &'static str {
        "smol"
    }

    fn timer(&self) -> SmolTimer {
        SmolTimer
    }

    fn spawn<F>(&self, future: F) -> smol::Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.executor.spawn(future)
    }

    async fn cancel<T: Send + 'static>(task: smol::Task<T>) {
        // Dropping a smol task would cancel it too, but without waiting for
        // the future to be dropped; `cancel` does both.
        task.cancel().await;
    }

    fn block_on<F: Future>(&self, future: F) -> F::Output {
        smol::block_on(self.executor.run(future))
    }
}

// --- async-std ---------------------------------------------------------------

/// async-std's timer: [`async_std::task::sleep`] (an `async-io` timer inside).
#[derive(Clone, Copy, Debug, Default)]
pub struct AsyncStdTimer;

impl Timer for AsyncStdTimer {
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        async_std::task::sleep(duration)
    }
}

/// async-std's global runtime. Discontinued (RUSTSEC-2025-0052); use smol.
///
/// There is nothing to create or drop: async-std starts one global executor
/// (with a thread per core) the first time a task is spawned, and it lives
/// until the process exits. That is convenient, and it is also why a program
/// cannot choose, configure or shut down "its" async-std runtime.
#[derive(Clone, Copy, Debug, Default)]
pub struct AsyncStd;

impl Runtime for AsyncStd {
    type Timer = AsyncStdTimer;
    type Task<T: Send + 'static> = async_std::task::JoinHandle<T>;

    fn name(&self) -> &'static str {
        "async-std"
    }

    fn timer(&self) -> AsyncStdTimer {
        AsyncStdTimer
    }

    fn spawn<F>(&self, future: F) -> async_std::task::JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        async_std::task::spawn(future)
    }

    async fn cancel<T: Send + 'static>(task: async_std::task::JoinHandle<T>) {
        task.cancel().await;
    }

    fn block_on<F: Future>(&self, future: F) -> F::Output {
        async_std::task::block_on(future)
    }
}
