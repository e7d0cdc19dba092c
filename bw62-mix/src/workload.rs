//! The writers: several files growing line by line, as the book's
//! `write_random_data` threads make them.
//!
//! Each writer thread owns one input file and appends `lines` lines to it,
//! sleeping a random time below `max_delay` before each one. Two details make
//! the tailers' job realistic rather than easy:
//!
//! - every line is written in **two** `write` system calls, split at a random
//!   point, so a tailer that reads at the wrong moment sees half a line that
//!   has no newline yet (and must wait for the rest instead of emitting it);
//! - every line starts with its file's name and its number in that file,
//!   which is how [`verify`](crate::verify()) tells, in the merged output,
//!   which file a line came from and whether it came in order.
//!
//! Randomness comes from [`SplitMix64`], one stream per file derived from the
//! seed, so the *contents* of every file are the same on every run; only the
//! interleaving of the merged output depends on scheduling.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crate::rng::SplitMix64;

/// What the writers write: how many files, how many lines each, how fast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workload {
    /// Number of input files, one writer thread each.
    pub files: usize,
    /// Lines appended to each file.
    pub lines: usize,
    /// Upper bound of the random pause before each line; zero writes as fast
    /// as the system allows, right up to the moment of shutdown.
    pub max_delay: Duration,
    /// Seed of every writer's random stream.
    pub seed: u64,
}

impl Workload {
    /// The book's scenario: 5 files of 10 lines, a pause below 100 ms before
    /// each line.
    pub const BOOK: Workload = Workload {
        files: 5,
        lines: 10,
        max_delay: Duration::from_millis(100),
        seed: 62,
    };

    /// Total number of lines the writers produce.
    pub fn total_lines(&self) -> usize {
        self.files * self.lines
    }

    /// The name of input file `index`: also the tag that starts its lines.
    pub fn file_name(index: usize) -> String {
        format!("input-{index:03}.log")
    }

    /// Creates the input files, empty, in `dir` and returns their paths.
    ///
    /// The files exist before any writer or tailer starts (the book does the
    /// same), so a tailer never races a writer to create its file.
    pub fn create_inputs(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        (0..self.files)
            .map(|index| {
                let path = dir.join(Self::file_name(index));
                File::create(&path).map_err(|e| with_path(e, "cannot create input", &path))?;
                Ok(path)
            })
            .collect()
    }

    /// Starts one writer thread per input file (paths from
    /// [`create_inputs`](Self::create_inputs), in the same order).
    pub fn start_writers(&self, inputs: &[PathBuf]) -> Writers {
        let handles = inputs
            .iter()
            .enumerate()
            .map(|(index, path)| {
                let path = path.clone();
                let rng = SplitMix64::stream(self.seed, index as u64);
                let (lines, max_delay) = (self.lines, self.max_delay);
                thread::Builder::new()
                    .name(format!("writer-{index}"))
                    .spawn(move || write_lines(&path, lines, max_delay, rng))
            })
            .collect();
        Writers { handles }
    }
}

/// The running writer threads; [`join`](Self::join) waits for all of them.
#[derive(Debug)]
#[must_use = "the writers must be joined before the tailers are told to stop"]
pub struct Writers {
    /// One per file; an `Err` here means the thread could not even start.
    handles: Vec<io::Result<JoinHandle<io::Result<()>>>>,
}

impl Writers {
    /// Waits for every writer and returns the first failure, if any.
    ///
    /// Every thread is joined even after a failure, so none is left running.
    pub fn join(self) -> io::Result<()> {
        let mut first_error = None;
        for handle in self.handles {
            let result = match handle {
                Ok(handle) => handle
                    .join()
                    .unwrap_or_else(|_| Err(io::Error::other("a writer thread panicked"))),
                Err(e) => Err(e),
            };
            if let Err(e) = result {
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    }
}

/// The body of one writer thread: the book's `write_random_data`.
fn write_lines(
    path: &Path,
    lines: usize,
    max_delay: Duration,
    mut rng: SplitMix64,
) -> io::Result<()> {
    // Append mode, and no buffering: each `write_all` below is one `write`
    // system call that the tailers can observe at once.
    let mut file = OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(|e| with_path(e, "cannot open input for writing", path))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for number in 0..lines {
        if !max_delay.is_zero() {
            thread::sleep(max_delay.mul_f64(rng.fraction()));
        }
        let line = make_line(&name, number, &mut rng);
        // Split the line at a random point strictly inside it: the first
        // write leaves a fragment without its newline for a moment.
        let split = 1 + rng.below(line.len() as u64 - 1) as usize;
        file.write_all(&line.as_bytes()[..split])
            .and_then(|()| file.write_all(&line.as_bytes()[split..]))
            .map_err(|e| with_path(e, "cannot append to input", path))?;
    }
    Ok(())
}

/// One line: `<file name> <number> <random lowercase letters>\n`.
///
/// The payload's length varies (1 to 24 letters) so line boundaries fall at
/// irregular places in the tailers' read buffers.
fn make_line(name: &str, number: usize, rng: &mut SplitMix64) -> String {
    let len = 1 + rng.below(24) as usize;
    let payload: String = (0..len)
        .map(|_| char::from(b'a' + rng.below(26) as u8))
        .collect();
    format!("{name} {number:06} {payload}\n")
}

/// Adds what was being done and to which file to an I/O error.
pub(crate) fn with_path(error: io::Error, doing: &str, path: &Path) -> io::Error {
    io::Error::new(error.kind(), format!("{doing} {}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_carry_their_file_and_number() {
        let mut rng = SplitMix64::new(1);
        let line = make_line("input-007.log", 42, &mut rng);
        assert!(line.starts_with("input-007.log 000042 "), "{line:?}");
        assert!(line.ends_with('\n'));
        assert_eq!(line.matches('\n').count(), 1);
    }

    #[test]
    fn writers_fill_every_file_reproducibly() {
        let workload = Workload {
            files: 3,
            lines: 50,
            max_delay: Duration::ZERO,
            seed: 9,
        };
        let contents = || -> Vec<String> {
            let dir = tempfile::tempdir().expect("temp dir");
            let inputs = workload.create_inputs(dir.path()).expect("inputs");
            workload.start_writers(&inputs).join().expect("writers");
            inputs
                .iter()
                .map(|p| std::fs::read_to_string(p).expect("read input"))
                .collect()
        };
        let first = contents();
        assert_eq!(first, contents(), "same seed, same files");
        for (index, text) in first.iter().enumerate() {
            assert_eq!(text.lines().count(), 50);
            let tag = Workload::file_name(index);
            assert!(text.lines().all(|l| l.starts_with(&tag)));
        }
    }
}
