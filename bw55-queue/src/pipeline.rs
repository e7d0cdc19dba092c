//! After, step 3: a pipeline of stages joined by blocking channels, several
//! workers per stage, closed by dropping senders, with panics reported.
//!
//! ```text
//!  source ──ch──▶ download ×3 ──ch──▶ resize ×4 ──ch──▶ upload ×5 ──ch──▶ caller
//! ```
//!
//! A [`Pipeline`] lives inside a [`std::thread::scope`]: every thread it
//! starts is a scoped thread, so none can outlive the scope — the compiler,
//! not a convention, guarantees that all threads are joined. You build it
//! stage by stage, each stage taking the previous one's [`Stream`], and end
//! with [`Pipeline::finish`], which drains the last stream and joins every
//! worker.
//!
//! # Closing without a sentinel
//!
//! The book's `ClosableQueue` puts a `SENTINEL` object on the queue, one per
//! consumer thread, and its `stop_threads` must close the stages one after
//! another, in order, from the main thread. A crossbeam channel instead counts
//! its senders: when the last [`Sender`] is dropped, the channel is
//! *disconnected*, and every receiver's iteration ends once the buffered items
//! are drained. So:
//!
//! - each worker owns a clone of its output sender and drops it when it
//!   exits;
//! - the stage's own copy is dropped as soon as the workers are started;
//! - so the next stage ends exactly when the last worker of this stage has
//!   ended — no count of consumers, no special value, no ordering to get right
//!   by hand. Shutdown ripples down the pipeline by itself.
//!
//! The same rule makes failures safe. If every receiver of a channel is
//! dropped, `send` stops blocking and returns an error, so a stage whose
//! consumers are gone stops too; nothing waits forever on a full buffer.
//!
//! # Panics become errors
//!
//! A panic in a stage function unwinds its worker thread. A guard in every
//! worker then raises a shared *abort* flag, which the other workers check
//! before each item: the source stops feeding, the stages stop working, the
//! channels close one after another as their senders go. [`Pipeline::finish`]
//! joins every thread and returns [`PipelineError::Panicked`] naming the
//! stage, the worker and the panic message. The caller gets an error, not a
//! hang — compare the polling pipeline, whose main loop would wait forever
//! for results that will never come.
//!
//! # Instrumentation
//!
//! Every item a worker handles is a `stage job` [`tracing`] span, on a
//! thread named after its stage and number (`resize #2`): a timeline
//! (`--trace`, or [`drawing`](crate::drawing)) shows each worker as a lane
//! and the stages working at the same time.
//!
//! Each channel counts what went in and what the receiving stage finished
//! with, and records two peaks (see [`LinkReport`]): the most items seen
//! waiting in the channel, and how far the sending side ever got ahead of the
//! receiving side. With a bound of `capacity`, a producer can never be more
//! than `capacity + workers` items ahead: `capacity` waiting in the buffer,
//! plus one in the hands of each worker. The tests assert exactly that.

use std::any::Any;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::{self, Scope, ScopedJoinHandle};

use crossbeam_channel::{Receiver, Sender};

/// How many items a channel between two stages may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Capacity {
    /// At most this many items wait; a sender blocks while the buffer is
    /// full. Must be at least 1 (0 would be a rendezvous channel).
    Bounded(usize),
    /// No limit: sends never block, and a slow stage lets its queue grow.
    Unbounded,
}

impl Capacity {
    /// A new channel with this capacity.
    pub fn channel<T>(self) -> (Sender<T>, Receiver<T>) {
        match self {
            Self::Bounded(capacity) => crossbeam_channel::bounded(capacity),
            Self::Unbounded => crossbeam_channel::unbounded(),
        }
    }
}

impl std::fmt::Display for Capacity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Bounded(capacity) => write!(f, "bounded({capacity})"),
            Self::Unbounded => f.write_str("unbounded"),
        }
    }
}

/// Why a pipeline failed.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// A stage was asked for zero workers.
    #[error("stage {stage:?} has no workers; every stage needs at least 1")]
    NoWorkers {
        /// The stage's name.
        stage: &'static str,
    },
    /// A bounded capacity of zero was asked for.
    #[error("capacity 0 is not a buffer; use at least 1 (or an unbounded channel)")]
    ZeroCapacity,
    /// The operating system would not start a thread.
    #[error("could not start a thread for stage {stage:?}")]
    Spawn {
        /// The stage's name.
        stage: &'static str,
        /// What the operating system said.
        #[source]
        source: io::Error,
    },
    /// A stage's code panicked; the pipeline was stopped and every thread
    /// joined.
    #[error(
        "stage {stage:?} worker {worker} panicked: {message} ({panicked} thread(s) panicked in all)"
    )]
    Panicked {
        /// The stage of the first panicked worker found.
        stage: &'static str,
        /// That worker's index within its stage.
        worker: usize,
        /// Its panic message.
        message: String,
        /// How many worker threads panicked.
        panicked: usize,
    },
}

/// State every thread of one pipeline shares.
#[derive(Debug, Default)]
struct Shared {
    /// Raised by a worker that panics; everyone else stops at the next item.
    abort: AtomicBool,
    /// Hands out exit tickets, so the order in which workers exited can be
    /// checked afterwards (`StageReport::exits`).
    exit_tickets: AtomicUsize,
}

/// Counters of one channel, shared by the threads on both of its ends.
#[derive(Debug, Default)]
struct Link {
    /// Items the sending side has sent.
    sent: AtomicUsize,
    /// Items the receiving side has finished working on.
    finished: AtomicUsize,
    /// The largest `sent - finished` a sender has seen after a send.
    max_ahead: AtomicUsize,
    /// The largest number of items a sender has seen waiting in the channel.
    max_queued: AtomicUsize,
}

impl Link {
    /// Called by a sender right after a successful send.
    fn sent_one<T>(&self, tx: &Sender<T>) {
        let sent = self.sent.fetch_add(1, Ordering::SeqCst) + 1;
        // `finished` can run ahead of our own `sent` for a moment (another
        // sender's item was taken before that sender counted it), hence the
        // saturating subtraction.
        let ahead = sent.saturating_sub(self.finished.load(Ordering::SeqCst));
        // Load first: a plain read of a shared value is cheap, a write makes
        // every other core refetch the cache line. Most sends set no record.
        if ahead > self.max_ahead.load(Ordering::Relaxed) {
            self.max_ahead.fetch_max(ahead, Ordering::Relaxed);
        }
        let queued = tx.len();
        if queued > self.max_queued.load(Ordering::Relaxed) {
            self.max_queued.fetch_max(queued, Ordering::Relaxed);
        }
    }

    /// Called by a receiver when it has finished with an item.
    fn finished_one(&self) {
        self.finished.fetch_add(1, Ordering::SeqCst);
    }

    fn report(&self) -> LinkReport {
        LinkReport {
            sent: self.sent.load(Ordering::SeqCst),
            max_queued: self.max_queued.load(Ordering::Relaxed),
            max_ahead: self.max_ahead.load(Ordering::Relaxed),
        }
    }
}

/// The output of a stage: the receiving end of its channel, to be handed to
/// the next stage (or to [`Pipeline::finish`]).
///
/// Dropping a `Stream` without using it is safe: the stage feeding it sees
/// its sends fail and stops.
#[derive(Debug)]
#[must_use = "a stream nobody reads stops the stages feeding it"]
pub struct Stream<T> {
    rx: Receiver<T>,
    link: Arc<Link>,
}

/// What one worker thread hands back when it ends normally.
#[derive(Clone, Copy, Debug)]
struct WorkerExit {
    items: usize,
    ticket: usize,
}

/// One stage as the pipeline keeps track of it.
struct StageEntry<'scope> {
    name: &'static str,
    /// The channel the stage reads from (none for the source).
    input: Option<Arc<Link>>,
    handles: Vec<ScopedJoinHandle<'scope, WorkerExit>>,
}

/// Observed peaks of one channel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkReport {
    /// Items sent into the channel.
    pub sent: usize,
    /// The most items a sender saw waiting in the channel right after a send.
    /// With `Capacity::Bounded(c)` it never exceeds `c`.
    pub max_queued: usize,
    /// The most items the sending side was ever ahead of the receiving side:
    /// sent, but not yet finished by a receiver (waiting in the channel or in
    /// a worker's hands). With a bound `c` and `w` receiving workers it never
    /// exceeds `c + w`.
    pub max_ahead: usize,
}

/// How one stage ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageReport {
    /// The stage's name.
    pub name: &'static str,
    /// Items each worker processed, by worker index.
    pub items: Vec<usize>,
    /// Each worker's exit ticket, by worker index: a global sequence number
    /// taken just before the worker dropped its sender. In a run that ends
    /// normally, every ticket of a stage is smaller than every ticket of the
    /// stage after it: a stage can only end once the one before it has.
    pub exits: Vec<usize>,
    /// The channel this stage read from (`None` for the source).
    pub input: Option<LinkReport>,
}

impl StageReport {
    /// Items the stage processed, all workers together.
    pub fn total(&self) -> usize {
        self.items.iter().sum()
    }
}

/// How a whole pipeline ended, once every thread was joined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shutdown {
    /// The stages in order, the source first.
    pub stages: Vec<StageReport>,
    /// The channel out of the last stage, which `finish` drained.
    pub output: LinkReport,
    /// Threads started and joined: one per worker plus the source.
    pub threads_joined: usize,
}

/// A pipeline of stages connected by channels, inside a thread scope.
///
/// ```
/// use bw55_queue::pipeline::{Capacity, Pipeline};
///
/// let mut squares = Vec::new();
/// let shutdown = std::thread::scope(|s| {
///     let mut pipeline = Pipeline::new(s, Capacity::Bounded(4))?;
///     let numbers = pipeline.source(1..=100_u64)?;
///     let doubled = pipeline.stage("double", 2, numbers, |n| n * 2)?;
///     let squared = pipeline.stage("square", 3, doubled, |n| n * n)?;
///     pipeline.finish(squared, |n| squares.push(n))
/// })?;
/// squares.sort_unstable();
/// assert_eq!(squares.len(), 100);
/// assert_eq!(squares[0], 4);
/// assert_eq!(shutdown.threads_joined, 1 + 2 + 3);
/// # Ok::<(), bw55_queue::pipeline::PipelineError>(())
/// ```
pub struct Pipeline<'scope, 'env> {
    scope: &'scope Scope<'scope, 'env>,
    capacity: Capacity,
    shared: Arc<Shared>,
    stages: Vec<StageEntry<'scope>>,
}

impl<'scope, 'env> Pipeline<'scope, 'env> {
    /// An empty pipeline whose channels all have `capacity`.
    pub fn new(
        scope: &'scope Scope<'scope, 'env>,
        capacity: Capacity,
    ) -> Result<Self, PipelineError> {
        if capacity == Capacity::Bounded(0) {
            return Err(PipelineError::ZeroCapacity);
        }
        Ok(Self {
            scope,
            capacity,
            shared: Arc::default(),
            stages: Vec::new(),
        })
    }

    /// Starts a thread that sends every item of `items` into a new channel:
    /// the book's main thread putting items on the download queue.
    ///
    /// It is a thread of its own, not the caller, because with a bounded
    /// channel the feeding blocks whenever the pipeline is full; if the
    /// caller fed *and* collected, it would block on a full input while the
    /// output it should be draining filled up — a deadlock.
    pub fn source<I>(&mut self, items: I) -> Result<Stream<I::Item>, PipelineError>
    where
        I: IntoIterator + Send + 'scope,
        I::Item: Send + 'scope,
    {
        let (tx, rx) = self.capacity.channel();
        let link = Arc::new(Link::default());
        let shared = Arc::clone(&self.shared);
        let out = Arc::clone(&link);
        let handle = thread::Builder::new()
            .name("source".to_owned())
            .spawn_scoped(self.scope, move || {
                let _guard = AbortOnPanic(&shared);
                let mut items_sent = 0;
                for item in items {
                    if shared.abort.load(Ordering::Relaxed) {
                        break;
                    }
                    // Blocks while the channel is full: backpressure. `Err`
                    // means every receiver is gone, so nobody wants more.
                    if tx.send(item).is_err() {
                        break;
                    }
                    out.sent_one(&tx);
                    items_sent += 1;
                }
                let ticket = shared.exit_tickets.fetch_add(1, Ordering::SeqCst);
                // Closing the channel is dropping its only sender.
                drop(tx);
                WorkerExit {
                    items: items_sent,
                    ticket,
                }
            })
            .map_err(|source| PipelineError::Spawn {
                stage: "source",
                source,
            })?;
        self.stages.push(StageEntry {
            name: "source",
            input: None,
            handles: vec![handle],
        });
        Ok(Stream { rx, link })
    }

    /// Starts `workers` threads that each take items from `input`, apply
    /// `work`, and send the result on; returns the stream of results.
    ///
    /// The workers share one channel on each side, so items are spread over
    /// them as they become free, and with more than one worker the results
    /// can come out in a different order than they went in. With one worker
    /// per stage, order is preserved: every channel is first in, first out.
    pub fn stage<In, Out, F>(
        &mut self,
        name: &'static str,
        workers: usize,
        input: Stream<In>,
        work: F,
    ) -> Result<Stream<Out>, PipelineError>
    where
        In: Send + 'scope,
        Out: Send + 'scope,
        F: Fn(In) -> Out + Send + Sync + 'scope,
    {
        if workers == 0 {
            return Err(PipelineError::NoWorkers { stage: name });
        }
        let Stream {
            rx: input_rx,
            link: input_link,
        } = input;
        let (tx, rx) = self.capacity.channel();
        let link = Arc::new(Link::default());
        // Every worker calls the same function, hence `Sync` and the `Arc`.
        let work = Arc::new(work);
        let mut handles = Vec::with_capacity(workers);
        for index in 0..workers {
            let worker_rx = input_rx.clone();
            let worker_link = Arc::clone(&input_link);
            let output_tx = tx.clone();
            let output_link = Arc::clone(&link);
            let shared = Arc::clone(&self.shared);
            let work = Arc::clone(&work);
            // The thread's name is its lane in a timeline: each item it
            // handles is drawn there as a `stage job` span.
            let handle = thread::Builder::new()
                .name(format!("{name} #{index}"))
                .spawn_scoped(self.scope, move || {
                    let _guard = AbortOnPanic(&shared);
                    let mut items = 0;
                    // Ends when the channel is empty and every upstream
                    // sender has been dropped: the upstream stage is done.
                    for item in worker_rx.iter() {
                        if shared.abort.load(Ordering::Relaxed) {
                            break;
                        }
                        // One span per item, around the work alone: the
                        // waits for input and for room are the gaps between
                        // spans. Nothing listens outside a recording or a
                        // trace, and then a span costs next to nothing.
                        let result = {
                            let _job = tracing::info_span!("stage job").entered();
                            work(item)
                        };
                        worker_link.finished_one();
                        if output_tx.send(result).is_err() {
                            // Downstream is gone (it stopped after a panic,
                            // or the caller dropped the stream): stop too.
                            break;
                        }
                        output_link.sent_one(&output_tx);
                        items += 1;
                    }
                    // The ticket is taken before the sender is dropped, so no
                    // downstream worker can exit (and take a ticket) first.
                    let ticket = shared.exit_tickets.fetch_add(1, Ordering::SeqCst);
                    drop(output_tx);
                    WorkerExit { items, ticket }
                })
                .map_err(|source| PipelineError::Spawn {
                    stage: name,
                    source,
                })?;
            handles.push(handle);
        }
        // Now only the workers hold this stage's ends. Had we kept a sender,
        // the next stage would never see its input close; had we kept the
        // input receiver, the upstream stage could block forever on a full
        // channel after every worker here had died.
        drop(tx);
        drop(input_rx);
        self.stages.push(StageEntry {
            name,
            input: Some(input_link),
            handles,
        });
        Ok(Stream { rx, link })
    }

    /// Hands every item of `output` to `each`, on the calling thread, until
    /// the last stage is done; then joins every thread of the pipeline.
    ///
    /// Returns how the stages ended, or the first panic found (after *all*
    /// threads have been joined, so nothing is left running either way).
    pub fn finish<T>(
        self,
        output: Stream<T>,
        mut each: impl FnMut(T),
    ) -> Result<Shutdown, PipelineError> {
        // Ends when every worker of the last stage has dropped its sender.
        for item in output.rx.iter() {
            output.link.finished_one();
            each(item);
        }
        let output_report = output.link.report();
        drop(output);

        let mut stages = Vec::with_capacity(self.stages.len());
        let mut threads_joined = 0;
        let mut first_panic = None;
        let mut panicked = 0;
        for entry in self.stages {
            let mut report = StageReport {
                name: entry.name,
                items: Vec::new(),
                exits: Vec::new(),
                input: entry.input.as_deref().map(Link::report),
            };
            for (worker, handle) in entry.handles.into_iter().enumerate() {
                // Joining cannot hang. The last stream has ended, so either
                // every stage ran out of input, or the abort flag is up and
                // each remaining thread leaves at its next item, at its next
                // failed send, or when its input closes behind the stopped
                // source.
                let outcome = handle.join();
                threads_joined += 1;
                match outcome {
                    Ok(exit) => {
                        report.items.push(exit.items);
                        report.exits.push(exit.ticket);
                    }
                    Err(payload) => {
                        panicked += 1;
                        first_panic.get_or_insert((entry.name, worker, panic_message(&*payload)));
                    }
                }
            }
            stages.push(report);
        }
        match first_panic {
            Some((stage, worker, message)) => Err(PipelineError::Panicked {
                stage,
                worker,
                message,
                panicked,
            }),
            None => Ok(Shutdown {
                stages,
                output: output_report,
                threads_joined,
            }),
        }
    }
}

/// Raises the pipeline's abort flag if its thread is unwinding from a panic.
struct AbortOnPanic<'a>(&'a Shared);

impl Drop for AbortOnPanic<'_> {
    fn drop(&mut self) {
        if thread::panicking() {
            // Relaxed is enough: the flag carries no data, and the other
            // threads only need to see it sooner or later.
            self.0.abort.store(true, Ordering::Relaxed);
        }
    }
}

/// The text of a panic payload: `panic!` with a literal gives a `&str`, with
/// formatting a `String`; anything else is opaque.
fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "(a panic payload that is not a string)".to_owned()
    }
}
