//! The fix: a dedicated writer thread that owns the output file.
//!
//! The book's `WriteThread` is a `threading.Thread` running its own event
//! loop; the async code calls `await output.write(data)`, which hands the write
//! to that loop with `run_coroutine_threadsafe` and awaits its completion. The
//! thread is started and stopped by `async with WriteThread(path) as output:`.
//!
//! The Rust version needs no second event loop. The thread is a plain
//! `std::thread` that owns a [`LineSink`] and serves a channel of requests,
//! each a line plus a [`oneshot`] sender for the acknowledgement:
//!
//! ```text
//!  async task ── send((line, ack)) ──▶ [bounded channel] ──▶ writer thread
//!      ▲                                                        │ write_line (blocks
//!      └──────────── ack.send(result) ◀─────────────────────────┘  this thread only)
//! ```
//!
//! The async side only ever *awaits*: a full channel (back-pressure) or the
//! acknowledgement. Every blocking call — opening, writing, syncing, joining —
//! happens on a thread that is not the runtime's.
//!
//! # Start and stop: the async context manager
//!
//! Python's `__aenter__`/`__aexit__` become [`WriteThread::start`] and
//! [`WriteThread::close`]. Rust has no async `Drop`, so the stop is an explicit
//! `async fn close(self)`: it stops accepting lines, lets the thread write
//! every line already sent, flush and sync the file, and joins the thread.
//!
//! **If `close` is never called**, `Drop` cannot wait (waiting would block the
//! very runtime this lesson protects), so it only lets go: it drops the
//! channel's sender, which still makes the thread write every queued line,
//! flush, sync and exit — but *detached*. Nobody learns of an I/O error, and if
//! the process ends first (returning from `main` does not wait for detached
//! threads) the lines still queued are lost. `Drop` prints a warning to stderr
//! so that a forgotten `close` does not go unnoticed.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

use tokio::sync::{mpsc, oneshot, watch};

use crate::sink::{DiskCost, LineSink, WriterStats};

/// How many lines may wait in the channel before `write` waits for room.
///
/// A bounded channel applies back-pressure: if the disk is slower than the
/// producers, writers await (without blocking) instead of piling lines up in
/// memory. 64 lets a burst through without waiting and is small enough that
/// [`WriteThread::close`] never waits long for the backlog.
pub const QUEUE_DEPTH: usize = 64;

/// Why a write (or the stop) failed.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The writer has been stopped: the line was **not** written. Returned at
    /// once, never after a wait.
    #[error("the writer thread has stopped; the line was not written")]
    Closed,
    /// The write itself failed (for example, the disk is full).
    #[error("writing the output failed")]
    Io(#[source] std::io::Error),
    /// The writer thread panicked.
    #[error("the writer thread panicked: {0}")]
    Panicked(String),
    /// A `spawn_blocking` task doing the write could not finish.
    #[error("the blocking write task did not finish")]
    Join(#[source] tokio::task::JoinError),
}

/// One request to the writer thread: the line, and where to send the result.
#[derive(Debug)]
struct Request {
    line: String,
    ack_tx: oneshot::Sender<std::io::Result<()>>,
}

/// A running writer thread that owns the output file — the book's
/// `WriteThread`. See the [module docs](self) for its life cycle.
///
/// ```
/// use bw63_nonblocking::{DiskCost, WriteThread};
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("out.log");
///
/// let output = WriteThread::start(&path, DiskCost::Buffered).await?; // `async with` ...
/// output.write("first").await?;
/// output.write("second").await?;
/// let stats = output.close().await?; // ... and leaving it: flushed, synced, joined.
///
/// assert_eq!(stats.lines, 2);
/// assert_eq!(std::fs::read_to_string(&path).unwrap(), "first\nsecond\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
pub struct WriteThread {
    /// The only *strong* sender of the request channel. Dropping it (in
    /// `close`, or in `Drop`) is the stop signal: once no strong sender is
    /// left, the thread's `blocking_recv` drains what is queued, then returns
    /// `None`. It is `None` once `close` has taken it.
    requests_tx: Option<mpsc::Sender<Request>>,
    /// Handed to [`Writer`]s. A weak sender does not keep the channel open, so
    /// a `Writer` outliving the stop cannot keep the thread alive — it gets
    /// [`WriteError::Closed`] instead.
    weak_tx: mpsc::WeakSender<Request>,
    /// Set by `close` and `Drop`, read by every [`Writer`] before it upgrades
    /// its weak sender. Without it, busy writers could keep the channel open
    /// forever: each write holds a strong sender for a moment, and as long as
    /// one writer holds one, the next can upgrade — the count of strong
    /// senders might never reach zero.
    closing: Arc<AtomicBool>,
    /// The thread, joined by `close`. `None` after `close` took it.
    thread: Option<JoinHandle<std::io::Result<WriterStats>>>,
    /// Tells whether the thread has finished.
    exit: ThreadExit,
    /// The output file, for messages.
    path: PathBuf,
}

impl fmt::Debug for WriteThread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WriteThread")
            .field("path", &self.path)
            .field("exited", &self.exit.has_exited())
            .finish_non_exhaustive()
    }
}

impl WriteThread {
    /// Starts the writer thread, which creates (or truncates) the file at
    /// `path` — the book's `__aenter__`.
    ///
    /// Waits, without blocking, until the file is open, so that a bad path is
    /// reported here (naming the path) rather than on the first write.
    pub async fn start(path: impl AsRef<Path>, cost: DiskCost) -> std::io::Result<Self> {
        let path = path.as_ref().to_path_buf();
        let (requests_tx, requests_rx) = mpsc::channel(QUEUE_DEPTH);
        let (ready_tx, ready_rx) = oneshot::channel();
        let (exit_tx, exit_rx) = watch::channel(false);

        let thread_path = path.clone();
        // Creating a thread is a short system call (tens of microseconds), far
        // below anything the heartbeat can see; opening the file, which may be
        // slow, happens on the new thread.
        let thread = std::thread::Builder::new()
            .name("write-thread".to_owned())
            .spawn(move || {
                // Dropped last — whether the thread returns or panics — so the
                // flag is set once nothing of this thread's work is left.
                let _exit = ExitGuard(exit_tx);
                serve(&thread_path, cost, ready_tx, requests_rx)
            })?;

        let exit = ThreadExit { exit_rx };
        match ready_rx.await {
            Ok(Ok(())) => Ok(Self {
                weak_tx: requests_tx.downgrade(),
                closing: Arc::new(AtomicBool::new(false)),
                requests_tx: Some(requests_tx),
                thread: Some(thread),
                exit,
                path,
            }),
            Ok(Err(open_error)) => {
                // The thread has already returned; reap it off the runtime.
                let _ = tokio::task::spawn_blocking(move || thread.join()).await;
                Err(open_error)
            }
            Err(_) => {
                // The ready sender was dropped unsent: the thread panicked
                // before opening the file. Report the panic.
                let joined = tokio::task::spawn_blocking(move || thread.join()).await;
                let message = match joined {
                    Ok(Err(payload)) => panic_message(payload.as_ref()),
                    _ => "exited before opening the file".to_owned(),
                };
                Err(std::io::Error::other(format!(
                    "the writer thread for {} failed to start: {message}",
                    path.display()
                )))
            }
        }
    }

    /// A cloneable handle for writing from other tasks. It stops working (with
    /// [`WriteError::Closed`]) once the writer is closed or dropped.
    pub fn writer(&self) -> Writer {
        Writer {
            weak_tx: self.weak_tx.clone(),
            closing: Arc::clone(&self.closing),
        }
    }

    /// Writes one line and waits, without blocking, until the writer thread
    /// has written it — the book's `await output.write(data)`.
    pub async fn write(&self, line: impl Into<String>) -> Result<(), WriteError> {
        match &self.requests_tx {
            Some(requests_tx) => submit(requests_tx, line.into()).await,
            None => Err(WriteError::Closed),
        }
    }

    /// Observes whether the thread has exited, even after `self` is gone.
    pub fn exit_signal(&self) -> ThreadExit {
        self.exit.clone()
    }

    /// The output file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Stops the writer — the book's `__aexit__` — and returns what it wrote.
    ///
    /// Every line whose `write` was accepted before this call is written,
    /// flushed and synced before the thread exits; `close` returns after the
    /// thread has been joined. Writes attempted afterwards through a
    /// [`Writer`] fail at once with [`WriteError::Closed`].
    pub async fn close(mut self) -> Result<WriterStats, WriteError> {
        // The stop signal: no new write may start, and with the only strong
        // sender gone the thread drains the queue, sees the channel closed,
        // and finishes the file. A write that upgraded its weak sender a
        // moment ago still completes: the channel closes once that temporary
        // sender is dropped too.
        self.closing.store(true, Ordering::Release);
        drop(self.requests_tx.take());
        let thread = self
            .thread
            .take()
            .expect("only `close` takes the thread, and it consumes `self`");
        // `JoinHandle::join` blocks until the thread has written the backlog,
        // so it runs on the blocking pool, not on the runtime's thread. (The
        // book's `stop` never joins: it schedules `loop.stop()` on the
        // thread's loop and awaits only that. Joining is what hands the
        // thread's last write error, or its panic, back to the caller.)
        let joined = tokio::task::spawn_blocking(move || thread.join())
            .await
            .map_err(WriteError::Join)?;
        match joined {
            Ok(Ok(stats)) => Ok(stats),
            Ok(Err(io_error)) => Err(WriteError::Io(io_error)),
            Err(payload) => Err(WriteError::Panicked(panic_message(payload.as_ref()))),
        }
    }
}

impl Drop for WriteThread {
    fn drop(&mut self) {
        // After `close`, `thread` is `None` and there is nothing to say.
        if self.thread.is_some() && !std::thread::panicking() {
            eprintln!(
                "warning: WriteThread for {} dropped without `close().await`: its thread \
                 still writes the queued lines and flushes, but detached — errors are lost, \
                 and lines are lost if the process exits first",
                self.path.display()
            );
        }
        // The same stop signal as `close`; then the fields drop: the strong
        // sender goes, and the `JoinHandle` goes unjoined (the thread detaches).
        self.closing.store(true, Ordering::Release);
    }
}

/// A cloneable handle to a [`WriteThread`], for the tasks that write.
#[derive(Clone, Debug)]
pub struct Writer {
    /// Upgraded for the length of one write; see [`WriteThread`]'s fields.
    weak_tx: mpsc::WeakSender<Request>,
    /// Shared with the [`WriteThread`]: set once it is closing.
    closing: Arc<AtomicBool>,
}

impl Writer {
    /// Writes one line and waits, without blocking, until it is written.
    ///
    /// After the writer was closed this fails at once with
    /// [`WriteError::Closed`]: it never waits for a thread that is gone.
    ///
    /// If this future is dropped after the line was sent, the line is still
    /// written; only the acknowledgement is lost.
    pub async fn write(&self, line: impl Into<String>) -> Result<(), WriteError> {
        // Once the writer is closing, no new write starts. (One that read the
        // flag just before it was set still goes through, and is written: it
        // can delay the thread's exit by one line, not forever.)
        if self.closing.load(Ordering::Acquire) {
            return Err(WriteError::Closed);
        }
        // Upgrading fails once no strong sender is left at all.
        let requests_tx = self.weak_tx.upgrade().ok_or(WriteError::Closed)?;
        submit(&requests_tx, line.into()).await
    }
}

/// Sends one line and awaits its acknowledgement.
async fn submit(requests_tx: &mpsc::Sender<Request>, line: String) -> Result<(), WriteError> {
    let (ack_tx, ack_rx) = oneshot::channel();
    // Waits for room if the queue is full: back-pressure, not blocking. Fails
    // if the thread has stopped receiving.
    requests_tx
        .send(Request { line, ack_tx })
        .await
        .map_err(|_| WriteError::Closed)?;
    // The thread answers every request it receives; the sender is dropped
    // unanswered only if the thread stopped (panicked) first.
    match ack_rx.await {
        Ok(result) => result.map_err(WriteError::Io),
        Err(_) => Err(WriteError::Closed),
    }
}

/// The writer thread's whole life: open, serve requests in order, finish.
fn serve(
    path: &Path,
    cost: DiskCost,
    ready_tx: oneshot::Sender<std::io::Result<()>>,
    mut requests_rx: mpsc::Receiver<Request>,
) -> std::io::Result<WriterStats> {
    let mut sink = match LineSink::create(path, cost) {
        Ok(sink) => sink,
        Err(error) => {
            // Hand the error to `start`; keep a copy of its kind and text for
            // this thread's own result.
            let copy = std::io::Error::new(error.kind(), error.to_string());
            let _ = ready_tx.send(Err(error));
            return Err(copy);
        }
    };
    // `start` is waiting for this; if it gave up (its future was dropped),
    // nobody can send requests and the loop below ends at once.
    let _ = ready_tx.send(Ok(()));

    // `blocking_recv` parks this thread until a request arrives — fine, this
    // thread has nothing else to do. It returns `None` only when every strong
    // sender is gone *and* the queue is empty, so no accepted line is skipped.
    //
    // Every write is a span on the lane `writer`, children of one span that
    // lives as long as this thread: one lane in a trace file too.
    let lane = tracing::info_span!(parent: None, "writer thread");
    while let Some(Request { line, ack_tx }) = requests_rx.blocking_recv() {
        let result = {
            let _write = tracing::info_span!(parent: &lane, "write", lane = "writer").entered();
            sink.write_line(&line)
        };
        // The writer may have stopped waiting (its future was dropped); the
        // line is written all the same.
        let _ = ack_tx.send(result);
    }
    sink.finish()
}

/// Tells whether a writer thread has exited; usable after the [`WriteThread`]
/// itself is gone (closed or dropped).
#[derive(Clone, Debug)]
pub struct ThreadExit {
    exit_rx: watch::Receiver<bool>,
}

impl ThreadExit {
    /// True once the thread has finished all its work and is returning.
    pub fn has_exited(&self) -> bool {
        *self.exit_rx.borrow()
    }

    /// Waits (without blocking) until the thread has exited.
    pub async fn exited(&self) {
        let mut exit_rx = self.exit_rx.clone();
        // `Err` means the sender is gone, which happens only after it set the
        // flag (see `ExitGuard`): exited either way.
        let _ = exit_rx.wait_for(|exited| *exited).await;
    }
}

/// Owned by the writer thread; sets the exit flag when dropped, even by a
/// panic unwinding the thread.
struct ExitGuard(watch::Sender<bool>);

impl Drop for ExitGuard {
    fn drop(&mut self) {
        self.0.send_replace(true);
    }
}

/// The text of a panic payload, for [`WriteError::Panicked`].
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a non-string panic payload".to_owned())
}
