//! The output file and what one line costs to write: the *blocking* part.
//!
//! [`LineSink`] is plain synchronous code — `std::fs::File` behind a
//! `BufWriter` — and every version of the lesson uses the very same sink. The
//! versions differ only in **which thread** calls [`LineSink::write_line`]:
//! the runtime's own thread (the mistake), a `spawn_blocking` pool thread, or a
//! dedicated writer thread. Keeping the sink identical is what makes the
//! heartbeat figures comparable.

use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// How expensive one line is to write, i.e. how long [`LineSink::write_line`]
/// blocks its caller.
///
/// A buffered write to a local file is far too fast to show anything, so the
/// lesson makes it slow on purpose — and says how.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiskCost {
    /// Write into a 8 KiB `BufWriter`; the caller blocks only when the buffer
    /// fills and goes to the kernel. Microseconds per line.
    Buffered,
    /// Flush and call [`File::sync_data`] after every line: a real `fdatasync`,
    /// as a log that must survive a crash would do. What it costs depends on
    /// the disk: milliseconds on a spinning disk or a network file system,
    /// about 0.1 ms on the virtual disk this course was measured on.
    SyncData,
    /// Flush, then [`std::thread::sleep`] for the given time. This is **a
    /// stand-in for a slow disk**, not a disk: it blocks the calling thread
    /// exactly as a slow `write` or `fsync` would, with a duration that is the
    /// same on every machine, so the figures are reproducible.
    SlowDisk(Duration),
}

impl fmt::Display for DiskCost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Buffered => f.write_str("buffered"),
            Self::SyncData => f.write_str("sync_data per line"),
            Self::SlowDisk(d) => write!(
                f,
                "{} per line (simulated slow disk)",
                course_support::fmt_duration(*d)
            ),
        }
    }
}

impl FromStr for DiskCost {
    type Err = String;

    /// Reads `buffered`, `sync`, or a duration such as `20ms` (a simulated
    /// slow disk).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim() {
            "buffered" => Ok(Self::Buffered),
            "sync" => Ok(Self::SyncData),
            other => course_support::parse_duration(other)
                .map(Self::SlowDisk)
                .map_err(|_| {
                    format!(
                        "invalid disk cost {text:?}: expected `buffered`, `sync` \
                         or a duration like 20ms (a simulated slow disk)"
                    )
                }),
        }
    }
}

/// What a sink wrote, returned when it is finished.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WriterStats {
    /// Lines written.
    pub lines: u64,
    /// Bytes written, newlines included.
    pub bytes: u64,
}

/// A line-oriented output file. Every method **blocks** the calling thread.
#[derive(Debug)]
pub struct LineSink {
    /// The file, behind a buffer so that a `Buffered` line costs no syscall.
    out: BufWriter<File>,
    /// How much each line costs; see [`DiskCost`].
    cost: DiskCost,
    /// Running totals, handed back by [`LineSink::finish`].
    stats: WriterStats,
}

impl LineSink {
    /// Creates (or truncates) the file at `path`, as the book's
    /// `open(output_path, 'wb')`.
    ///
    /// The error names the path: the caller may be far from here (on another
    /// thread) when it reads it.
    pub fn create(path: &Path, cost: DiskCost) -> io::Result<Self> {
        let file = File::create(path).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot create output file {}: {e}", path.display()),
            )
        })?;
        Ok(Self {
            out: BufWriter::new(file),
            cost,
            stats: WriterStats::default(),
        })
    }

    /// Writes `line` and a newline, then pays the [`DiskCost`]. Blocks.
    ///
    /// A line containing a newline is refused: the output is read back line by
    /// line, and a smuggled newline would silently split one record into two.
    pub fn write_line(&mut self, line: &str) -> io::Result<()> {
        if line.contains('\n') {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "refusing to write {line:?}: it contains a newline; write one line at a time"
                ),
            ));
        }
        self.out.write_all(line.as_bytes())?;
        self.out.write_all(b"\n")?;
        self.stats.lines += 1;
        self.stats.bytes += line.len() as u64 + 1;
        match self.cost {
            DiskCost::Buffered => {}
            DiskCost::SyncData => {
                self.out.flush()?;
                self.out.get_ref().sync_data()?;
            }
            DiskCost::SlowDisk(delay) => {
                self.out.flush()?;
                // The deliberate stand-in for a slow device: the thread is
                // parked in the kernel for `delay`, exactly like a slow write.
                std::thread::sleep(delay);
            }
        }
        Ok(())
    }

    /// Flushes the buffer and syncs the file, so that everything written is
    /// on disk when this returns; hands back the totals. Blocks.
    ///
    /// Call it once, at the end. (`BufWriter` also flushes when dropped, but
    /// it has to swallow any error there — `finish` is where a failed final
    /// write gets reported.)
    pub fn finish(&mut self) -> io::Result<WriterStats> {
        self.out.flush()?;
        self.out.get_ref().sync_all()?;
        Ok(self.stats)
    }

    /// The totals so far.
    pub fn stats(&self) -> WriterStats {
        self.stats
    }
}

/// Measures what one line costs with `cost` on the disk holding `path`: the
/// mean over `lines` writes. Blocking. (The demo uses it to show what a real
/// `sync_data` costs here, next to the simulated slow disk.)
pub fn measure_line_cost(path: &Path, cost: DiskCost, lines: usize) -> io::Result<Duration> {
    let mut sink = LineSink::create(path, cost)?;
    let started = std::time::Instant::now();
    for n in 0..lines {
        sink.write_line(&format!("line {n}"))?;
    }
    let elapsed = started.elapsed();
    sink.finish()?;
    Ok(elapsed / u32::try_from(lines.max(1)).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disk_cost_parses_names_and_durations() {
        assert_eq!("buffered".parse(), Ok(DiskCost::Buffered));
        assert_eq!("sync".parse(), Ok(DiskCost::SyncData));
        assert_eq!(
            "20ms".parse(),
            Ok(DiskCost::SlowDisk(Duration::from_millis(20)))
        );
        let err = "fast".parse::<DiskCost>().expect_err("not a cost");
        assert!(err.contains("\"fast\"") && err.contains("sync"), "{err}");
    }

    #[test]
    fn sink_writes_lines_and_refuses_embedded_newlines() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out.log");
        let mut sink = LineSink::create(&path, DiskCost::SyncData).expect("create");
        sink.write_line("one").expect("write");
        sink.write_line("two").expect("write");
        let err = sink.write_line("three\nfour").expect_err("newline refused");
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        let stats = sink.finish().expect("finish");
        assert_eq!(stats, WriterStats { lines: 2, bytes: 8 });
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "one\ntwo\n");
    }

    #[test]
    fn a_missing_directory_is_named_in_the_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("no-such-dir").join("out.log");
        let err = LineSink::create(&path, DiskCost::Buffered).expect_err("no directory");
        assert!(err.to_string().contains("no-such-dir"), "{err}");
    }
}
