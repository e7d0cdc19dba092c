//! Step 3 — fully async: every tailer is a task, every wait is the runtime's.
//!
//! The book's `tail_async` and `run_tasks`. Having moved the top in step 2,
//! the migration walks **down** the call tree: `tail_file` becomes
//! [`tail_async`], whose reads are `tokio::fs` reads and whose pause between
//! polls is the runtime's timer ([`Stop::sleep`]) instead of a blocked thread.
//! With nothing blocking left, `spawn_blocking` and `Handle::block_on` go
//! away and [`run_tasks`] spawns plain tasks.
//!
//! Compare with step 1 line by line: the loop of [`tail_async`] is the loop
//! of [`tail_file`](crate::threads::tail_file) with `.await` added where it
//! waits — the line splitting ([`LineBuffer`]) and the shutdown rule ("check
//! the signal, then read; finish only on an empty read that began after the
//! signal") are the same code and the same reasoning.
//!
//! What changed in cost: an idle tailer no longer holds a thread. Fifty
//! tailers are fifty small futures on the runtime's worker threads;
//! `tokio::fs` still borrows a blocking-pool thread for the duration of each
//! open and read (Linux has no general async file reads), but only for that
//! call. That is what lets [`runtime`] cap the blocking pool at a handful of
//! threads, where step 2 needed one per file: left at tokio's default cap
//! (512), fifty tailers opening their files at the same moment would start
//! fifty blocking threads, which then idle for ten seconds before exiting.
//!
//! The book's `tail_async` still takes `write_func` as a parameter; here it is
//! the [`AsyncWriteFunc`] trait, so that step 4 can pass a *blocking* writer
//! wrapped in an async shell.

use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio::runtime::{Builder, Runtime};
use tokio::task::JoinSet;

use crate::lines::LineBuffer;
use crate::output::AsyncOutput;
use crate::stop::Stop;
use crate::threads::{READ_CHUNK, tail_span};
use crate::workload::with_path;

/// The async counterpart of [`WriteFunc`](crate::threads::WriteFunc): what a
/// [`tail_async`] hands each line to.
///
/// A trait rather than an async closure because the future it returns must
/// be `Send` (the tailer is spawned onto a multi-threaded runtime), and a
/// trait method is where that bound can be written.
pub trait AsyncWriteFunc: Send {
    /// Writes one complete line (newline included): the book's `write_async`.
    fn write_async(&mut self, line: &[u8]) -> impl Future<Output = io::Result<()>> + Send;
}

impl AsyncWriteFunc for AsyncOutput {
    fn write_async(&mut self, line: &[u8]) -> impl Future<Output = io::Result<()>> + Send {
        self.write_line(line)
    }
}

/// A file being followed with async reads.
#[derive(Debug)]
pub struct AsyncFileTail {
    file: tokio::fs::File,
    lines: LineBuffer,
    chunk: Vec<u8>,
}

impl AsyncFileTail {
    /// Opens `path` for following from its beginning.
    pub async fn open(path: &Path) -> io::Result<Self> {
        let file = tokio::fs::File::open(path)
            .await
            .map_err(|e| with_path(e, "cannot open input", path))?;
        Ok(Self {
            file,
            lines: LineBuffer::default(),
            chunk: vec![0; READ_CHUNK],
        })
    }

    /// The next complete line, or `None` once a read hits the end of the
    /// file: [`FileTail::next_line`](crate::threads::FileTail::next_line)
    /// with `.await`.
    pub async fn next_line(&mut self) -> io::Result<Option<&[u8]>> {
        loop {
            if let Some(range) = self.lines.take_line() {
                return Ok(Some(self.lines.get(range)));
            }
            // New: the read runs on the blocking pool and the task waits for
            // it without holding a worker thread.
            let n = self.file.read(&mut self.chunk).await?;
            if n == 0 {
                return Ok(None);
            }
            self.lines.push(&self.chunk[..n]);
        }
    }

    /// The bytes after the last newline, terminated; see
    /// [`LineBuffer::take_unterminated`].
    pub fn take_unterminated(&mut self) -> Option<Vec<u8>> {
        self.lines.take_unterminated()
    }
}

/// Follows `path` and hands every line to `write_async` until `stop` is
/// raised and the file is drained: the book's `tail_async`.
///
/// Returns the number of lines written.
pub async fn tail_async<W: AsyncWriteFunc>(
    path: &Path,
    interval: Duration,
    stop: &Stop,
    write_async: &mut W,
) -> io::Result<u64> {
    let _tail = tail_span(path);
    let mut tail = AsyncFileTail::open(path).await?;
    let mut written = 0;
    loop {
        // The same rule as `tail_file`: the signal is read before the read.
        let stopping = stop.is_raised();
        match tail.next_line().await? {
            Some(line) => {
                write_async.write_async(line).await?;
                written += 1;
            }
            None if stopping => break,
            None => {
                // New: the pause is a timer on the runtime, not a blocked thread.
                stop.sleep(interval).await;
            }
        }
    }
    if let Some(line) = tail.take_unterminated() {
        write_async.write_async(&line).await?;
        written += 1;
    }
    Ok(written)
}

/// How many blocking-pool threads step 3's runtime may use for file I/O.
///
/// Each `tokio::fs` call holds one only while a read, write or open is in
/// progress (microseconds), so a few serve any number of tailers; calls
/// beyond the cap wait their turn in the pool's queue. Nothing blocks
/// forever, so unlike step 2 a small cap cannot deadlock.
pub const BLOCKING_THREADS: usize = 4;

/// The runtime step 3 runs on: the default worker threads (one per core)
/// and a blocking pool capped at [`BLOCKING_THREADS`].
pub fn runtime() -> io::Result<Runtime> {
    Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(BLOCKING_THREADS)
        .build()
}

/// Step 3: merges `inputs` into `output` with one [`tail_async`] task per
/// input. Returns the number of lines merged.
///
/// Must run inside a tokio runtime with the time driver enabled.
pub async fn run_tasks(
    inputs: &[PathBuf],
    output: &Path,
    interval: Duration,
    stop: &Stop,
) -> io::Result<u64> {
    let merged = AsyncOutput::create(output).await?;
    let mut tailers = JoinSet::new();
    for path in inputs {
        let (path, mut merged, stop) = (path.clone(), merged.clone(), stop.clone());
        // New: a plain task; nothing in it blocks any more.
        tailers.spawn(async move { tail_async(&path, interval, &stop, &mut merged).await });
    }
    let lines = join_tailers(tailers).await?;
    merged.finish().await?;
    Ok(lines)
}

/// Waits for every tailer (even after one fails, so none is left running)
/// and adds up their lines, or returns the first error.
pub(crate) async fn join_tailers(mut tailers: JoinSet<io::Result<u64>>) -> io::Result<u64> {
    let mut results = Vec::with_capacity(tailers.len());
    while let Some(joined) = tailers.join_next().await {
        results.push(
            joined.unwrap_or_else(|e| Err(io::Error::other(format!("a tailer task failed: {e}")))),
        );
    }
    crate::threads::sum_lines(results)
}
