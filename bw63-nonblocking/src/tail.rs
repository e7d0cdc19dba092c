//! The book's scenario: input files that keep growing, and async tasks that
//! tail them into one output.
//!
//! Each input file has a **producer** thread appending numbered lines to it
//! (the book's writer threads) and a **tailer** task following it (the book's
//! `tail_async`). A tailer reads one line at a time on the blocking pool — as
//! the book's `await loop.run_in_executor(None, readline, handle)` — so every
//! read really waits, and hands each line to an [`Output`]. At the end of the
//! file it sleeps on the runtime's timer and tries again, until the producer
//! says it is finished and nothing is left to read.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::output::Output;
use crate::write_thread::WriteError;

/// Why tailing failed.
#[derive(Debug, thiserror::Error)]
pub enum TailError {
    /// Reading the input failed.
    #[error("reading {path} failed")]
    Read {
        /// The input file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: io::Error,
    },
    /// The input ended in the middle of a line after its producer finished.
    #[error("{path} ends with an unterminated line {partial:?}")]
    PartialLine {
        /// The input file.
        path: PathBuf,
        /// What was read of the last line.
        partial: String,
    },
    /// Writing a line to the output failed.
    #[error("writing a line of {path} failed")]
    Write {
        /// The input file the line came from.
        path: PathBuf,
        /// The write error.
        #[source]
        source: WriteError,
    },
    /// The blocking read task could not finish.
    #[error("the read task for {path} did not finish")]
    Join {
        /// The input file.
        path: PathBuf,
        /// The join error.
        #[source]
        source: tokio::task::JoinError,
    },
}

/// The text of line `n` of input `file`. Zero-padded, so a reader can check
/// the order by eye.
pub fn input_line(file: usize, n: usize) -> String {
    format!("input-{file} line-{n:05}")
}

/// A thread appending lines to one input file.
#[derive(Debug)]
pub struct Producer {
    /// The file it writes.
    pub path: PathBuf,
    /// Set (with `Release`) after the last line is written.
    finished: Arc<AtomicBool>,
    /// The thread; joined by [`Producer::join`].
    thread: JoinHandle<io::Result<()>>,
}

impl Producer {
    /// Creates `path` empty, then starts a thread that appends
    /// `lines` lines ([`input_line`]`(file, 0..lines)`), one every `pace`.
    ///
    /// Blocking (it creates the file): call it from a thread, or from
    /// `spawn_blocking`.
    pub fn start(path: PathBuf, file: usize, lines: usize, pace: Duration) -> io::Result<Self> {
        let mut out = File::create(&path).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot create input {}: {e}", path.display()),
            )
        })?;
        let finished = Arc::new(AtomicBool::new(false));
        let done = Arc::clone(&finished);
        let thread = std::thread::Builder::new()
            .name(format!("producer-{file}"))
            .spawn(move || {
                for n in 0..lines {
                    // One `write_all` of the whole line on an unbuffered
                    // file: one `write` system call, so a tailer normally sees
                    // whole lines (and copes if it does not).
                    out.write_all(format!("{}\n", input_line(file, n)).as_bytes())?;
                    if !pace.is_zero() {
                        std::thread::sleep(pace);
                    }
                }
                // `Release` pairs with the tailer's `Acquire`: a tailer that
                // sees `true` also sees every line written before it.
                done.store(true, Ordering::Release);
                Ok(())
            })?;
        Ok(Self {
            path,
            finished,
            thread,
        })
    }

    /// The flag a tailer watches.
    pub fn finished(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.finished)
    }

    /// Waits for the thread and returns its result. Blocking.
    pub fn join(self) -> io::Result<()> {
        self.thread.join().map_err(|_| {
            io::Error::other(format!("the producer of {} panicked", self.path.display()))
        })?
    }
}

/// A reader that can be moved to the blocking pool and back, with the part of
/// a line read so far.
struct LineReader {
    reader: BufReader<File>,
    /// Bytes of a line whose end has not been written yet.
    pending: String,
}

impl LineReader {
    /// Reads the next complete line (without its newline), or `None` when the
    /// file currently ends before one. Blocking.
    fn next_line(&mut self) -> io::Result<Option<String>> {
        // `read_line` stops after a newline or at the end of the file; at the
        // end it may have appended half a line, which stays in `pending` and
        // is completed by a later call once the producer wrote the rest.
        self.reader.read_line(&mut self.pending)?;
        if self.pending.ends_with('\n') {
            let mut line = std::mem::take(&mut self.pending);
            line.pop();
            Ok(Some(line))
        } else {
            Ok(None)
        }
    }
}

/// Follows the file at `path` until `finished` is set and the file is read to
/// its end, writing every line to `output` in order — the book's
/// `tail_async`. Returns the number of lines.
///
/// `interval` is how long to sleep when there is nothing new to read.
pub async fn tail_file(
    path: PathBuf,
    finished: Arc<AtomicBool>,
    interval: Duration,
    output: Output,
) -> Result<usize, TailError> {
    let open_path = path.clone();
    let mut reader = run_blocking(&path, move || {
        Ok(LineReader {
            reader: BufReader::new(File::open(&open_path)?),
            pending: String::new(),
        })
    })
    .await?;

    let mut lines = 0;
    loop {
        // Read the flag *before* trying to read: if the producer had finished
        // then, and the read below still finds no complete line, there will
        // never be another one.
        let was_finished = finished.load(Ordering::Acquire);
        // The reader moves to a pool thread and back with the line: the read
        // is a blocking call, and this task only awaits it.
        let (back, next) = run_blocking(&path, move || {
            let next = reader.next_line();
            Ok((reader, next))
        })
        .await?;
        reader = back;
        match next.map_err(|source| TailError::Read {
            path: path.clone(),
            source,
        })? {
            Some(line) => {
                output
                    .write(line)
                    .await
                    .map_err(|source| TailError::Write {
                        path: path.clone(),
                        source,
                    })?;
                lines += 1;
            }
            None if was_finished => break,
            None => tokio::time::sleep(interval).await,
        }
    }
    if reader.pending.is_empty() {
        Ok(lines)
    } else {
        Err(TailError::PartialLine {
            path,
            partial: reader.pending,
        })
    }
}

/// Runs a blocking read on the blocking pool, naming `path` in any error.
async fn run_blocking<T: Send + 'static>(
    path: &Path,
    read: impl FnOnce() -> io::Result<T> + Send + 'static,
) -> Result<T, TailError> {
    tokio::task::spawn_blocking(read)
        .await
        .map_err(|source| TailError::Join {
            path: path.to_path_buf(),
            source,
        })?
        .map_err(|source| TailError::Read {
            path: path.to_path_buf(),
            source,
        })
}

/// What [`verify_output`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verified {
    /// Lines in the output.
    pub lines: usize,
    /// Input files they came from.
    pub files: usize,
}

/// Checks that `output` holds every line of `files` inputs of
/// `lines_per_file` lines ([`input_line`]), each exactly once and each file's
/// lines in their order. The files' lines may interleave in any way.
///
/// The error names the first line that breaks the rule.
pub fn verify_output(
    output: &Path,
    files: usize,
    lines_per_file: usize,
) -> Result<Verified, String> {
    let text = std::fs::read_to_string(output)
        .map_err(|e| format!("cannot read output {}: {e}", output.display()))?;
    if !text.is_empty() && !text.ends_with('\n') {
        return Err(format!(
            "{} ends with an unterminated line",
            output.display()
        ));
    }
    // The next line number expected from each file.
    let mut next = vec![0usize; files];
    for (index, line) in text.lines().enumerate() {
        let at = index + 1;
        let (file, n) = parse_input_line(line)
            .ok_or_else(|| format!("output line {at} {line:?} is not an input line"))?;
        let expected = next
            .get_mut(file)
            .ok_or_else(|| format!("output line {at} {line:?} names an unknown input {file}"))?;
        if n != *expected {
            return Err(format!(
                "output line {at} {line:?}: expected line {} of input {file} \
                 (a line lost, duplicated or out of order)",
                *expected
            ));
        }
        *expected += 1;
    }
    if let Some((file, &got)) = next.iter().enumerate().find(|&(_, &n)| n != lines_per_file) {
        return Err(format!(
            "input {file}: {got} of its {lines_per_file} lines reached the output"
        ));
    }
    Ok(Verified {
        lines: files * lines_per_file,
        files,
    })
}

/// Reads `input-F line-N` back into `(F, N)`.
fn parse_input_line(line: &str) -> Option<(usize, usize)> {
    let rest = line.strip_prefix("input-")?;
    let (file, n) = rest.split_once(" line-")?;
    Some((file.parse().ok()?, n.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verification_accepts_any_interleaving_in_file_order() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out.log");
        let lines = [
            input_line(1, 0),
            input_line(0, 0),
            input_line(0, 1),
            input_line(1, 1),
        ];
        std::fs::write(&path, lines.join("\n") + "\n").expect("write");
        assert_eq!(
            verify_output(&path, 2, 2),
            Ok(Verified { lines: 4, files: 2 })
        );
    }

    #[test]
    fn verification_names_lost_duplicated_and_reordered_lines() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out.log");
        let check = |lines: &[String]| {
            std::fs::write(&path, lines.join("\n") + "\n").expect("write");
            verify_output(&path, 1, 2).expect_err("must be rejected")
        };
        let lost = check(&[input_line(0, 0)]);
        assert!(lost.contains("1 of its 2"), "{lost}");
        let duplicated = check(&[input_line(0, 0), input_line(0, 0), input_line(0, 1)]);
        assert!(duplicated.contains("output line 2"), "{duplicated}");
        let reordered = check(&[input_line(0, 1), input_line(0, 0)]);
        assert!(reordered.contains("expected line 0"), "{reordered}");
    }
}
