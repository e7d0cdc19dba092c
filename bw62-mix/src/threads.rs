//! Step 1 — all threads: one blocking tailer thread per file, the output
//! behind a lock.
//!
//! This is the code a project has *before* any migration, the book's
//! `tail_file` and `run_threads`:
//!
//! - [`tail_file`] follows one file: read what is new, hand each complete
//!   line to `write_func`, sleep `interval` when nothing is new, and stop
//!   (after a final drain) when the [`Stop`] signal is raised;
//! - [`run_threads`] starts one such thread per input and gives them all the
//!   same `write_func`, which appends to the merged output under a `Mutex`
//!   so that lines from different threads never interleave byte-wise.
//!
//! Rust differences worth seeing here: the threads are *scoped*
//! ([`std::thread::scope`]), so they borrow the output, the paths and the
//! signal instead of needing `Arc` clones, and the compiler guarantees they
//! are all joined before `run_threads` returns; the `Mutex` *owns* the output
//! writer, so writing without the lock does not compile.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::thread;
use std::time::Duration;

use crate::lines::LineBuffer;
use crate::stop::Stop;
use crate::workload::with_path;

/// How many bytes one read asks for. Big enough that catching up on a file
/// that grew a lot takes few system calls; small enough for 50 tailers.
pub(crate) const READ_CHUNK: usize = 64 * 1024;

/// The callback a tailer hands each line to: the book's `write_func`.
///
/// A `dyn` reference rather than a generic so that every tailer of every step
/// has the very same signature ([`TailFn`]); one indirect call per line costs
/// nothing next to the write it leads to. `Send` because step 4 holds it
/// inside a future, and step 2 calls it from the blocking pool.
pub type WriteFunc<'a> = dyn FnMut(&[u8]) -> io::Result<()> + Send + 'a;

/// The signature shared by [`tail_file`] and its async-backed replacement
/// [`tail_file_via_async`](crate::bottom_up::tail_file_via_async): follow
/// `path`, polling every `interval`, until `stop`; returns the lines written.
pub type TailFn = fn(&Path, Duration, &Stop, &mut WriteFunc<'_>) -> io::Result<u64>;

/// A file being followed with blocking reads: the book's `readline` with the
/// partial-line problem fixed.
#[derive(Debug)]
pub struct FileTail {
    file: File,
    lines: LineBuffer,
    chunk: Vec<u8>,
}

impl FileTail {
    /// Opens `path` for following from its beginning.
    pub fn open(path: &Path) -> io::Result<Self> {
        let file = File::open(path).map_err(|e| with_path(e, "cannot open input", path))?;
        Ok(Self {
            file,
            lines: LineBuffer::default(),
            chunk: vec![0; READ_CHUNK],
        })
    }

    /// The next complete line, or `None` when the file holds no complete line
    /// beyond what was already returned — the book's `NoNewData`.
    ///
    /// Reads as often as needed: a read that brings only part of a line is
    /// followed by another, so `None` always means "a read just hit the end
    /// of the file", which the shutdown logic of [`tail_file`] relies on.
    pub fn next_line(&mut self) -> io::Result<Option<&[u8]>> {
        loop {
            if let Some(range) = self.lines.take_line() {
                return Ok(Some(self.lines.get(range)));
            }
            // On a regular file, a read at the end returns 0 bytes and leaves
            // the position there; once a writer appends, the next read
            // returns the new bytes. That is all "tailing" needs.
            let n = self.file.read(&mut self.chunk)?;
            if n == 0 {
                return Ok(None);
            }
            self.lines.push(&self.chunk[..n]);
        }
    }

    /// After the last [`next_line`](Self::next_line) returned `None` for good:
    /// the bytes after the last newline, terminated (see
    /// [`LineBuffer::take_unterminated`]).
    pub fn take_unterminated(&mut self) -> Option<Vec<u8>> {
        self.lines.take_unterminated()
    }
}

/// The `tail` span of one tailer of `path`, held for as long as it runs: a
/// trace (`--trace`) draws a lane per tailer from it, whichever thread,
/// pool thread or task runs the tailer. It is created, not entered, so it
/// may be held across `.await`s as well ([`tail_async`](crate::tail_async)).
pub(crate) fn tail_span(path: &Path) -> tracing::Span {
    let file = path
        .file_name()
        .unwrap_or(path.as_os_str())
        .to_string_lossy();
    tracing::info_span!("tail", lane = %format!("tail {file}"))
}

/// Follows `path` and hands every line to `write_func` until `stop` is raised
/// and the file is drained: the book's `tail_file`.
///
/// Returns the number of lines written.
pub fn tail_file(
    path: &Path,
    interval: Duration,
    stop: &Stop,
    write_func: &mut WriteFunc<'_>,
) -> io::Result<u64> {
    let _tail = tail_span(path);
    let mut tail = FileTail::open(path)?;
    let mut written = 0;
    loop {
        // Look at the signal BEFORE reading. If it was already raised, every
        // writer had been joined before this read began, so a read that now
        // finds nothing new proves the file is complete. (Checking after the
        // read would leave a gap: lines written between an empty read and the
        // signal would never be read.)
        let stopping = stop.is_raised();
        match tail.next_line()? {
            Some(line) => {
                write_func(line)?;
                written += 1;
            }
            None if stopping => break,
            None => {
                // Nothing new: wait for the next poll, or less if the signal
                // comes first. The loop then reads once more either way —
                // that read is the drain.
                stop.wait_timeout(interval);
            }
        }
    }
    // The file will not grow any more; a fragment left without a newline is
    // a last line of its own (decided in `LineBuffer::take_unterminated`).
    if let Some(line) = tail.take_unterminated() {
        write_func(&line)?;
        written += 1;
    }
    Ok(written)
}

/// Step 1: merges `inputs` into `output` with one [`tail_file`] thread per
/// input; returns when `stop` is raised and every tailer has drained its
/// file. Returns the number of lines merged.
pub fn run_threads(
    inputs: &[PathBuf],
    output: &Path,
    interval: Duration,
    stop: &Stop,
) -> io::Result<u64> {
    run_threads_with(tail_file, inputs, output, interval, stop)
}

/// [`run_threads`] with the tailer passed in. Step 4 calls this very function
/// with a tailer that runs async code inside; nothing here changes.
pub fn run_threads_with(
    tail: TailFn,
    inputs: &[PathBuf],
    output: &Path,
    interval: Duration,
    stop: &Stop,
) -> io::Result<u64> {
    let file = File::create(output).map_err(|e| with_path(e, "cannot create output", output))?;
    // The lock of the book's `run_threads`. It owns the writer: no thread can
    // reach the file without holding it, and a whole line is written under
    // one lock, so lines never interleave. A `BufWriter` makes each locked
    // write a memory copy; the system call happens once per 8 KiB.
    let merged = Mutex::new(BufWriter::new(file));

    let results: Vec<io::Result<u64>> = thread::scope(|scope| {
        let handles: Vec<_> = inputs
            .iter()
            .map(|path| {
                let merged = &merged;
                thread::Builder::new()
                    .name("tailer".into())
                    .spawn_scoped(scope, move || {
                        let mut write = |line: &[u8]| {
                            merged
                                .lock()
                                // A poisoned lock means another tailer panicked
                                // mid-write; its error is reported by its join.
                                .unwrap_or_else(PoisonError::into_inner)
                                .write_all(line)
                        };
                        tail(path, interval, stop, &mut write)
                    })
            })
            .collect();
        // Join every thread, even after a failure, so none outlives the call.
        handles
            .into_iter()
            .map(|handle| {
                handle?
                    .join()
                    .unwrap_or_else(|_| Err(io::Error::other("a tailer thread panicked")))
            })
            .collect()
    });

    let lines = sum_lines(results)?;
    // Flush explicitly: dropping a BufWriter flushes too, but swallows the error.
    merged
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .flush()
        .map_err(|e| with_path(e, "cannot write output", output))?;
    Ok(lines)
}

/// Adds up the tailers' line counts, or returns the first error.
pub(crate) fn sum_lines(results: impl IntoIterator<Item = io::Result<u64>>) -> io::Result<u64> {
    results.into_iter().sum()
}
