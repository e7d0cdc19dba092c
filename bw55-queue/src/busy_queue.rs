//! Before: a hand-made queue and workers that poll it, as the book first
//! writes the pipeline.
//!
//! [`MyQueue`] is the book's `MyQueue`: a deque behind a lock, with `put` and
//! a `get` that fails when the queue is empty. [`Worker`] is the book's
//! `Worker` thread: it loops forever, and every turn of the loop is a *poll*
//! — take the lock, look, and if nothing is there, sleep a little and look
//! again. It counts its polls (`polled_count`) and its items (`work_done`),
//! which is how the book shows the problem: far more polls than items.
//!
//! Three more problems the book names, all visible here:
//!
//! - **Idle waiting is a bad trade.** A worker with nothing to do either
//!   sleeps (the book: 10 ms) and so reacts late, or spins ([`IdleWait::Yield`])
//!   and burns a core doing nothing. No setting is right; the demo measures
//!   both.
//! - **Stopping is a hack.** The book stops a worker by swapping its queue for
//!   `None`, so the next `get` raises `AttributeError`. Rust will not let one
//!   thread swap a field of a value another thread owns, so the hack becomes an
//!   explicit [`AtomicBool`] the worker checks on every poll. Either way the
//!   caller must first *count* the finished items to know it is safe to stop;
//!   a stop that comes early strands whatever is still queued.
//! - **Nothing bounds the queue.** `put` always succeeds. If one stage is
//!   slower than the one before it, the queue between them grows until the
//!   slow stage catches up — or memory runs out. [`MyQueue::max_len`] records
//!   how long each queue got.
//!
//! Worse, if a worker dies, nobody notices: the main thread's polling loop
//! waits for a count that will never be reached. The channel pipeline
//! ([`crate::pipeline`]) fixes all of this.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::Duration;

use crate::work::{Receipt, Stages};

/// The book's `MyQueue`: a `VecDeque` behind a `Mutex`, unbounded.
#[derive(Debug)]
pub struct MyQueue<T> {
    /// The items, oldest first.
    items: Mutex<VecDeque<T>>,
    /// The longest the queue has been: instrumentation, not part of the book's
    /// queue. It is updated under the lock, so it is exact.
    max_len: AtomicUsize,
    /// How many `get`s found the queue empty: polls that were wasted.
    empty_gets: AtomicUsize,
}

impl<T> Default for MyQueue<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> MyQueue<T> {
    /// An empty queue.
    pub fn new() -> Self {
        Self {
            items: Mutex::new(VecDeque::new()),
            max_len: AtomicUsize::new(0),
            empty_gets: AtomicUsize::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, VecDeque<T>> {
        // A panic while the lock is held could only come from `push_back`
        // failing to allocate, which leaves the deque as it was; so a poisoned
        // lock still guards a consistent deque and we carry on with it.
        self.items.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Appends an item. Never blocks and never refuses: the queue has no bound.
    pub fn put(&self, item: T) {
        let mut items = self.lock();
        items.push_back(item);
        self.max_len.fetch_max(items.len(), Ordering::Relaxed);
    }

    /// Takes the oldest item, or `None` if the queue is empty (the book's
    /// `popleft` raising `IndexError`). Never waits: waiting is the caller's
    /// problem, which is the whole trouble with this queue.
    pub fn get(&self) -> Option<T> {
        let item = self.lock().pop_front();
        if item.is_none() {
            self.empty_gets.fetch_add(1, Ordering::Relaxed);
        }
        item
    }

    /// Items in the queue now.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether the queue is empty now.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// The longest the queue has ever been.
    pub fn max_len(&self) -> usize {
        self.max_len.load(Ordering::Relaxed)
    }

    /// How many `get`s have found the queue empty so far.
    pub fn empty_gets(&self) -> usize {
        self.empty_gets.load(Ordering::Relaxed)
    }

    /// The items still queued, oldest first.
    pub fn into_vec(self) -> Vec<T> {
        self.items
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
            .into()
    }
}

/// What a polling worker does when it finds its queue empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdleWait {
    /// Sleep, then poll again (the book sleeps 10 ms). Cheap on the CPU, but
    /// an item that arrives just after the check waits the whole sleep.
    Sleep(Duration),
    /// Give up the rest of the time slice and poll again at once. Reacts
    /// quickly, but a core stays busy doing nothing useful.
    Yield,
}

impl IdleWait {
    /// Waits once, as configured.
    pub fn wait(self) {
        match self {
            Self::Sleep(pause) => thread::sleep(pause),
            Self::Yield => thread::yield_now(),
        }
    }
}

impl std::fmt::Display for IdleWait {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sleep(pause) => write!(f, "sleep {pause:?}"),
            Self::Yield => f.write_str("spin (yield)"),
        }
    }
}

/// The book's `Worker`: applies `func` to every item of `in_queue` and puts
/// the result on `out_queue`, polling until told to stop.
pub struct Worker<'q, In, Out, F> {
    name: &'static str,
    func: F,
    in_queue: &'q MyQueue<In>,
    out_queue: &'q MyQueue<Out>,
    /// The stop hack: set by the main thread when it has counted all the
    /// results; checked by the worker before every poll.
    stop: &'q AtomicBool,
    idle: IdleWait,
    polled_count: u64,
    work_done: u64,
}

/// A worker's counts after it stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkerCounts {
    /// The stage the worker ran.
    pub name: &'static str,
    /// Turns of the polling loop, including the one that saw the stop flag.
    pub polled_count: u64,
    /// Items processed.
    pub work_done: u64,
}

impl WorkerCounts {
    /// Polls that found nothing to do.
    pub fn wasted_polls(&self) -> u64 {
        self.polled_count - self.work_done
    }
}

impl<'q, In, Out, F: Fn(In) -> Out> Worker<'q, In, Out, F> {
    /// A worker for stage `name` between two queues.
    pub fn new(
        name: &'static str,
        func: F,
        in_queue: &'q MyQueue<In>,
        out_queue: &'q MyQueue<Out>,
        stop: &'q AtomicBool,
        idle: IdleWait,
    ) -> Self {
        Self {
            name,
            func,
            in_queue,
            out_queue,
            stop,
            idle,
            polled_count: 0,
            work_done: 0,
        }
    }

    /// The book's `run`: poll, work, repeat, until the stop flag is seen.
    pub fn run(mut self) -> WorkerCounts {
        loop {
            self.polled_count += 1;
            // The "magic exit signal". Acquire pairs with the main thread's
            // Release store, though nothing here depends on it: the main
            // thread only stops us after it has seen every result.
            if self.stop.load(Ordering::Acquire) {
                break;
            }
            match self.in_queue.get() {
                // Nothing to do: the book's `except IndexError: sleep(0.01)`.
                None => self.idle.wait(),
                Some(item) => {
                    // A span per item handled, as the channel pipeline's
                    // workers have: a timeline shows the polls as gaps.
                    let result = {
                        let _job = tracing::info_span!("stage job").entered();
                        (self.func)(item)
                    };
                    self.out_queue.put(result);
                    self.work_done += 1;
                }
            }
        }
        WorkerCounts {
            name: self.name,
            polled_count: self.polled_count,
            work_done: self.work_done,
        }
    }
}

/// Starts the one worker of `stage` in a thread named like the channel
/// pipeline's first worker of that stage (`resize #0`), so that a
/// timeline draws both pipelines on the same lanes.
fn spawn_worker<'scope, T: Send + 'scope>(
    s: &'scope thread::Scope<'scope, '_>,
    stage: &str,
    body: impl FnOnce() -> T + Send + 'scope,
) -> thread::ScopedJoinHandle<'scope, T> {
    thread::Builder::new()
        .name(format!("{stage} #0"))
        .spawn_scoped(s, body)
        // `Scope::spawn`, which the book's version would use, panics here too.
        .expect("the operating system starts a worker thread")
}

/// What a run of the polling pipeline did.
#[derive(Clone, Debug)]
pub struct BusyRun {
    /// The results, in the order the upload worker produced them.
    pub receipts: Vec<Receipt>,
    /// Each stage's worker counts: download, resize, upload.
    pub workers: [WorkerCounts; 3],
    /// How many times the main thread checked the done queue before it saw
    /// every result (the book's `while len(done_queue.items) < 1000`).
    pub main_polls: u64,
    /// The longest each queue got: download, resize, upload, done.
    pub max_queued: [usize; 4],
}

impl BusyRun {
    /// Polls of all three workers.
    pub fn total_polls(&self) -> u64 {
        self.workers.iter().map(|w| w.polled_count).sum()
    }
}

/// Runs the book's polling pipeline over `ids`: one worker per stage, the
/// main thread putting every id on the download queue, then polling the done
/// queue until every result is there, then setting the stop flag.
///
/// If a stage panics, this waits forever: the count it polls for is never
/// reached. That is the book's design, kept on purpose; the channel pipeline
/// turns the same panic into an error.
pub fn run(ids: impl IntoIterator<Item = u64>, stages: &Stages, idle: IdleWait) -> BusyRun {
    let download_queue = MyQueue::new();
    let resize_queue = MyQueue::new();
    let upload_queue = MyQueue::new();
    let done_queue = MyQueue::new();
    let stop = AtomicBool::new(false);

    // Scoped threads may borrow the queues and the stages: the scope cannot
    // end before every worker has been joined.
    let (workers, main_polls) = thread::scope(|s| {
        let download = spawn_worker(s, "download", || {
            let func = |id| (stages.download)(id);
            Worker::new(
                "download",
                func,
                &download_queue,
                &resize_queue,
                &stop,
                idle,
            )
            .run()
        });
        let resize = spawn_worker(s, "resize", || {
            let func = |image| (stages.resize)(image);
            Worker::new("resize", func, &resize_queue, &upload_queue, &stop, idle).run()
        });
        let upload = spawn_worker(s, "upload", || {
            let func = |thumbnail| (stages.upload)(thumbnail);
            Worker::new("upload", func, &upload_queue, &done_queue, &stop, idle).run()
        });

        let mut expected = 0;
        for id in ids {
            download_queue.put(id);
            expected += 1;
        }
        // The caller must know how many results to wait for, and can only
        // find out that they are there by looking, again and again.
        let mut main_polls = 0;
        while done_queue.len() < expected {
            main_polls += 1;
            idle.wait();
        }
        // Every result is in: now, and only now, it is safe to pull the plug.
        stop.store(true, Ordering::Release);
        let join = |handle: thread::ScopedJoinHandle<'_, WorkerCounts>| {
            handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        };
        ([join(download), join(resize), join(upload)], main_polls)
    });

    let max_queued = [
        download_queue.max_len(),
        resize_queue.max_len(),
        upload_queue.max_len(),
        done_queue.max_len(),
    ];
    BusyRun {
        receipts: done_queue.into_vec(),
        workers,
        main_polls,
        max_queued,
    }
}
