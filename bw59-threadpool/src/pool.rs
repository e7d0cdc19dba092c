//! A fixed pool of worker threads with submit-and-wait, like Python's
//! `ThreadPoolExecutor(max_workers=N)`: [`Pool::submit`] returns a
//! [`JobHandle`] whose [`result`](JobHandle::result) waits for the value, as
//! `future.result()` does.
//!
//! The whole pool is three parts: a channel of jobs, `size` threads that take
//! jobs from it one at a time, and, for every job, a one-slot channel that
//! carries its result back.

use std::any::Any;
use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::thread::{self, JoinHandle as ThreadHandle};

use crossbeam_channel::{Receiver, Sender};

/// A unit of work as the workers see it: any closure run once.
type Job = Box<dyn FnOnce() + Send + 'static>;

/// A fixed set of worker threads fed by one channel of jobs.
///
/// At most [`size`](Pool::size) jobs run at once — the bound that protects
/// whatever the jobs talk to, and that makes this pool's cost predictable:
/// `n` jobs that each wait `t` take about `ceil(n / size) × t`.
///
/// Dropping the pool closes the job channel; every worker finishes the jobs
/// already queued, sees the channel closed, and exits; the drop joins them all.
/// No thread outlives the pool.
#[derive(Debug)]
pub struct Pool {
    /// Where `submit` puts jobs. An `Option` only so `Drop` can close it
    /// (by dropping the sender) before joining the workers.
    jobs_tx: Option<Sender<Job>>,
    /// The worker threads, joined on drop.
    workers: Vec<ThreadHandle<()>>,
}

impl Pool {
    /// Starts `size` worker threads.
    ///
    /// Fails if the operating system refuses a thread (the threads already
    /// started are stopped and joined before the error is returned).
    ///
    /// # Panics
    ///
    /// If `size` is zero: a pool with no workers would never run anything.
    pub fn new(size: usize) -> io::Result<Self> {
        assert!(size > 0, "a pool needs at least one worker");
        // Unbounded: `submit` never blocks, exactly like the executor's
        // queue. The bound on concurrency is the number of workers, not the
        // queue; the caller decides how much it submits.
        let (jobs_tx, jobs_rx) = crossbeam_channel::unbounded::<Job>();
        let mut pool = Self {
            jobs_tx: Some(jobs_tx),
            workers: Vec::with_capacity(size),
        };
        for i in 0..size {
            let jobs_rx = jobs_rx.clone();
            let worker = thread::Builder::new()
                .name(format!("worker {i}"))
                .spawn(move || work(&jobs_rx))?;
            // If a later spawn fails, `?` drops `pool`, whose Drop closes the
            // channel and joins the workers started so far.
            pool.workers.push(worker);
        }
        Ok(pool)
    }

    /// The number of worker threads.
    pub fn size(&self) -> usize {
        self.workers.len()
    }

    /// Queues `job` and returns a handle to its result (the executor's
    /// `submit`). The job must own what it uses (`'static`): it runs on a
    /// thread that lives longer than this call.
    pub fn submit<T, F>(&self, job: F) -> JobHandle<T>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        // One slot is all a single result needs, so the worker's send never
        // waits, even if the handle was dropped unread.
        let (result_tx, result_rx) = crossbeam_channel::bounded(1);
        let job: Job = Box::new(move || {
            // A panicking job must not take its worker down with it: the
            // panic is caught and handed to whoever waits on the result, the
            // way a Python future re-raises the job's exception.
            let result = panic::catch_unwind(AssertUnwindSafe(job));
            // The handle may have been dropped; then nobody wants the result.
            let _ = result_tx.send(result);
        });
        self.jobs_tx
            .as_ref()
            .expect("the job channel is open until the pool is dropped")
            .send(job)
            .expect("workers hold the receiver until the pool is dropped");
        JobHandle { result_rx }
    }
}

/// A worker's whole life: run jobs until the channel is closed and empty.
fn work(jobs_rx: &Receiver<Job>) {
    // `recv` fails only once every sender is gone and the queue is drained:
    // that is the shutdown signal, no sentinel needed.
    while let Ok(job) = jobs_rx.recv() {
        // On a timeline, a `job` span on this worker's lane.
        let _span = tracing::info_span!("job").entered();
        job();
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        // Closing the channel first is what lets the workers' `recv` fail;
        // joining before that would wait forever.
        drop(self.jobs_tx.take());
        for worker in self.workers.drain(..) {
            // Jobs catch their own panics, so a worker cannot have panicked.
            let _ = worker.join();
        }
    }
}

/// The pending result of a submitted job (the executor's `Future`).
#[derive(Debug)]
pub struct JobHandle<T> {
    result_rx: Receiver<thread::Result<T>>,
}

impl<T> JobHandle<T> {
    /// Waits for the job and returns its value, or the panic payload if the
    /// job panicked (as [`std::thread::JoinHandle::join`] does).
    pub fn result(self) -> Result<T, Box<dyn Any + Send>> {
        match self.result_rx.recv() {
            Ok(result) => result,
            // Every queued job runs before the workers exit, and the job
            // always sends; a missing result would be a bug in this module.
            Err(_) => unreachable!("a submitted job always sends its result"),
        }
    }
}
