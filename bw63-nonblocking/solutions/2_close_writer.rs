//! Dropping the only sender is the stop signal the thread understands, and
//! joining on the blocking pool waits for the backlog without holding the
//! runtime's thread; the join hands back the thread's own count or error.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

use bw63_nonblocking::LineSink;
use tokio::sync::mpsc;

/// A thread that owns a [`LineSink`] and writes the lines sent to it, in
/// order.
#[derive(Debug)]
pub struct LineWriter {
    /// Where lines go. The thread writes until every sender is dropped and
    /// the queue is empty; then it flushes and syncs the file and returns.
    pub lines_tx: mpsc::UnboundedSender<String>,
    /// The thread. It returns how many lines it wrote, or its first error.
    pub thread: JoinHandle<io::Result<u64>>,
    /// Set by the thread as its very last act (the checks read it).
    pub exited: Arc<AtomicBool>,
}

impl LineWriter {
    /// Starts the thread that writes into `sink`.
    pub fn start(mut sink: LineSink) -> io::Result<Self> {
        let (lines_tx, mut lines_rx) = mpsc::unbounded_channel::<String>();
        let exited = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&exited);
        let thread = std::thread::Builder::new()
            .name("line-writer".to_owned())
            .spawn(move || {
                let written = (|| {
                    // `None` only once every sender is gone and the queue is empty.
                    while let Some(line) = lines_rx.blocking_recv() {
                        sink.write_line(&line)?;
                    }
                    sink.finish().map(|stats| stats.lines)
                })();
                flag.store(true, Ordering::SeqCst);
                written
            })?;
        Ok(Self {
            lines_tx,
            thread,
            exited,
        })
    }

    /// Queues `line` for the thread; never waits. Fails once the thread has
    /// stopped.
    pub fn send(&self, line: impl Into<String>) -> io::Result<()> {
        self.lines_tx
            .send(line.into())
            .map_err(|_| io::Error::other("the writer thread has stopped"))
    }
}

/// Stops `writer`: every line sent before this call is written, the file
/// flushed and synced, and the thread joined; returns the number of lines
/// the thread wrote, or the thread's error (a failed write, or its panic).
///
/// The thread ends only when it sees the channel closed, so drop the sender
/// first (destructure `writer` to take its fields apart). Then wait for the
/// thread — without blocking the runtime: `JoinHandle::join` blocks, so run
/// it on the blocking pool (`tokio::task::spawn_blocking`) and `.await` it.
///
/// The checks queue lines for a slow disk, call this on a one-thread
/// runtime with the lesson's `SlowPollDetector` watching, and verify that:
/// - it returns (no deadlock) with the thread's count of lines;
/// - when it returns, every line is in the file and the thread has exited;
/// - the detector reports no poll that held the runtime's thread;
/// - a failed write comes back as the `Err`.
pub async fn close(writer: LineWriter) -> io::Result<u64> {
    let LineWriter {
        lines_tx, thread, ..
    } = writer;
    // No sender left: the thread drains the queue, finishes the file, returns.
    drop(lines_tx);
    // The outer `?` is the blocking task's own failure; the `map_err` turns
    // the thread's panic into an error; what is left is the thread's result.
    tokio::task::spawn_blocking(move || thread.join())
        .await
        .map_err(io::Error::other)?
        .map_err(|_| io::Error::other("the writer thread panicked"))?
}
