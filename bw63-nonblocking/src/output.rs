//! Three ways for async code to write a line — the only thing the versions of
//! the scenario change.
//!
//! | [`WritePath`]      | who calls the blocking `write_line`      | the runtime's thread meanwhile |
//! |--------------------|------------------------------------------|--------------------------------|
//! | `blocking`         | the task itself, inside its poll          | blocked: nothing else runs     |
//! | `spawn-blocking`   | a thread of tokio's blocking pool, per write | free                        |
//! | `writer-thread`    | the one [`WriteThread`] that owns the file | free                          |
//!
//! All three write through the same [`LineSink`] with the same [`DiskCost`].

use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::sink::{DiskCost, LineSink, WriterStats};
use crate::write_thread::{WriteError, WriteThread, Writer};

/// Where the blocking write happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WritePath {
    /// Synchronously, inside the async task: the mistake.
    Blocking,
    /// On tokio's blocking pool, one `spawn_blocking` per write.
    SpawnBlocking,
    /// On a dedicated writer thread that owns the file (the book's fix).
    WriterThread,
}

impl WritePath {
    /// All three, the mistake first.
    pub const ALL: [Self; 3] = [Self::Blocking, Self::SpawnBlocking, Self::WriterThread];
}

impl fmt::Display for WritePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Blocking => "blocking",
            Self::SpawnBlocking => "spawn-blocking",
            Self::WriterThread => "writer-thread",
        })
    }
}

/// An open output, of one of the three kinds. Hand [`OutputGuard::output`] to
/// the tasks that write, then [`OutputGuard::close`] it once they are done.
#[derive(Debug)]
pub enum OutputGuard {
    /// The sink, written inline by each task (see [`Output::Blocking`]).
    Blocking(Arc<SharedSink>),
    /// The sink, written from the blocking pool (see [`Output::SpawnBlocking`]).
    SpawnBlocking(Arc<SharedSink>),
    /// The writer thread owning the sink.
    WriterThread(WriteThread),
}

impl OutputGuard {
    /// Opens `path` for writing the given way.
    pub async fn open(path: &Path, how: WritePath, cost: DiskCost) -> std::io::Result<Self> {
        match how {
            // Creating the file is itself a (short) blocking call. The
            // blocking version does it inline, true to its nature; the other
            // two keep even that off the runtime's thread.
            WritePath::Blocking => Ok(Self::Blocking(Arc::new(SharedSink::new(
                LineSink::create(path, cost)?,
                tracing::info_span!(parent: None, "writes on the event loop"),
            )))),
            WritePath::SpawnBlocking => {
                let owned = path.to_path_buf();
                let sink = tokio::task::spawn_blocking(move || LineSink::create(&owned, cost))
                    .await
                    .map_err(std::io::Error::other)??;
                Ok(Self::SpawnBlocking(Arc::new(SharedSink::new(
                    sink,
                    tracing::info_span!(parent: None, "writes on the blocking pool"),
                ))))
            }
            WritePath::WriterThread => {
                Ok(Self::WriterThread(WriteThread::start(path, cost).await?))
            }
        }
    }

    /// A handle for one writing task.
    pub fn output(&self) -> Output {
        match self {
            Self::Blocking(sink) => Output::Blocking(Arc::clone(sink)),
            Self::SpawnBlocking(sink) => Output::SpawnBlocking(Arc::clone(sink)),
            Self::WriterThread(thread) => Output::WriterThread(thread.writer()),
        }
    }

    /// Flushes and syncs everything written, and for the writer thread stops
    /// and joins it. Call it after every writing task has finished.
    pub async fn close(self) -> Result<WriterStats, WriteError> {
        match self {
            Self::Blocking(sink) => sink.lock().finish().map_err(WriteError::Io),
            Self::SpawnBlocking(sink) => tokio::task::spawn_blocking(move || sink.lock().finish())
                .await
                .map_err(WriteError::Join)?
                .map_err(WriteError::Io),
            Self::WriterThread(thread) => thread.close().await,
        }
    }
}

/// A writing task's handle to the output; cheap to clone.
#[derive(Clone, Debug)]
pub enum Output {
    /// The sink, shared by the tasks (see [`SharedSink`]).
    Blocking(Arc<SharedSink>),
    /// The same shared sink, but every write is moved to the blocking pool.
    SpawnBlocking(Arc<SharedSink>),
    /// A handle to the writer thread.
    WriterThread(Writer),
}

impl Output {
    /// Writes one line; returns once it is written (per the [`DiskCost`]).
    pub async fn write(&self, line: String) -> Result<(), WriteError> {
        match self {
            // The mistake. This `async fn` never awaits anything: the write
            // — and the simulated slow disk — runs inside the caller's poll,
            // holding the runtime's thread for the whole call.
            Self::Blocking(sink) => {
                // Its lane is the event loop's: this span is open exactly as
                // long as the loop's thread cannot run anything else.
                let _write =
                    tracing::info_span!(parent: &sink.lane, "write", lane = "event loop").entered();
                sink.lock().write_line(&line).map_err(WriteError::Io)
            }
            // Correct, and the simplest fix: the closure runs on a pool thread
            // while this task awaits. The sink's lock moves with it, so the
            // tasks' writes queue on the lock — on pool threads, not here.
            Self::SpawnBlocking(sink) => {
                let sink = Arc::clone(sink);
                tokio::task::spawn_blocking(move || {
                    let _write =
                        tracing::info_span!(parent: &sink.lane, "write", lane = "blocking pool")
                            .entered();
                    sink.lock().write_line(&line)
                })
                .await
                .map_err(WriteError::Join)?
                .map_err(WriteError::Io)
            }
            // The book's fix: one thread owns the file; we await its answer.
            Self::WriterThread(writer) => writer.write(line).await,
        }
    }
}

/// The sink the tasks share when each writes for itself (inline or through
/// `spawn_blocking`), and the span its writes belong to.
#[derive(Debug)]
pub struct SharedSink {
    /// The file, behind a `std::sync::Mutex` — the right mutex here, since
    /// nothing is awaited while it is held.
    sink: Mutex<LineSink>,
    /// The root of every `write` span of this output: in a trace file that
    /// groups spans by their root, all its writes share one lane.
    lane: tracing::Span,
}

impl SharedSink {
    fn new(sink: LineSink, lane: tracing::Span) -> Self {
        Self {
            sink: Mutex::new(sink),
            lane,
        }
    }

    /// Locks the sink.
    fn lock(&self) -> std::sync::MutexGuard<'_, LineSink> {
        self.sink
            .lock()
            .expect("`LineSink` does not panic, so no holder of this lock can have poisoned it")
    }
}
