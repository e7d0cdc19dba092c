//! The checks of this lesson's exercises.
//!
//! By default they run against the reference answers in `solutions/`, so
//! `cargo test --workspace` proves the checks pass on a right answer; with
//! `--features exercises` they run against your files in `exercises/`:
//!
//! ```text
//! cargo test -p bw63-nonblocking --features exercises --test exercises
//! ```
//!
//! Each catalogued mistake in `tests/mistakes/` must be rejected by its
//! exercise's check, with the words a learner would need; the `mistake_*`
//! tests prove it (without the feature only).
//!
//! Both checks run the answer on a one-thread runtime, asyncio's model, with
//! the lesson's [`SlowPollDetector`] watching it. Real blocking, real time:
//! paused time would hide exactly what is checked.

use std::future::Future;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use bw63_nonblocking::{DiskCost, LineSink, SlowCause, SlowPoll, SlowPollDetector};
use course_support::exercise::{Exercise, verdict, wait_until};
use course_support::fmt_duration;

#[cfg_attr(
    feature = "exercises",
    path = "../exercises/1_write_off_the_loop.rs",
    allow(clippy::todo, unused_variables)
)]
#[cfg_attr(
    not(feature = "exercises"),
    path = "../solutions/1_write_off_the_loop.rs"
)]
#[allow(unreachable_pub)]
mod write_off_the_loop;

// `dead_code` too: until the stub's `close` is written, nothing reads the
// writer's `thread`.
#[cfg_attr(
    feature = "exercises",
    path = "../exercises/2_close_writer.rs",
    allow(clippy::todo, unused_variables, dead_code)
)]
#[cfg_attr(not(feature = "exercises"), path = "../solutions/2_close_writer.rs")]
#[allow(unreachable_pub)]
mod close_writer;

use close_writer::LineWriter;
use write_off_the_loop::BlockingWrite;

/// Long enough for any of these runs on a busy machine; only a stuck answer
/// reaches it.
const STUCK: Duration = Duration::from_secs(10);

/// A one-thread runtime: every task, the heartbeat included, shares the
/// thread that calls `block_on`.
fn one_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime starts")
}

/// The reports of polls that held the thread because of the task itself: it
/// blocked or computed. A poll that was only preempted (the machine was busy)
/// is not the answer's fault and is not held against it.
fn held_the_thread(reports: Vec<SlowPoll>) -> Vec<SlowPoll> {
    reports
        .into_iter()
        .filter(|report| report.cause() != SlowCause::Preempted)
        .collect()
}

/// The detector's report in a learner's words: how long, which poll, why.
fn caught(report: &SlowPoll) -> String {
    format!(
        "the slow-poll detector caught {} holding the runtime's thread for {} in its poll #{}: {}",
        report.task,
        fmt_duration(report.duration),
        report.poll,
        report.cause()
    )
}

const EX_63_1: Exercise =
    Exercise::new("63.1", "bw63-nonblocking/exercises/1_write_off_the_loop.rs");

/// How long a write on the check's disk waits for the heartbeat to tick,
/// counted from the first write; after it, writes return at once.
const WINDOW: Duration = Duration::from_secs(2);

/// The check's slow disk for exercise 63.1. A write is done once the
/// heartbeat has ticked while it was in progress — so a write that runs off
/// the runtime's thread takes a few milliseconds, and one that runs on it
/// (or that the runtime's thread waits for by blocking) can never see a tick
/// and takes the whole window instead. Whatever the machine's speed, the
/// check sees the overlap or its absence; it never times it.
#[derive(Debug, Default)]
struct TickingDisk {
    /// Ticks of the heartbeat task so far.
    ticks: AtomicUsize,
    /// The runtime's thread, set before the answer runs.
    runtime: OnceLock<ThreadId>,
    /// The end of the window, set by the first write.
    window_end: OnceLock<Instant>,
    /// Every line written, in the order the writes finished.
    written: Mutex<Vec<String>>,
    /// Writes made on the runtime's own thread.
    on_runtime: AtomicUsize,
    /// Writes during which the heartbeat never ticked.
    unticked: AtomicUsize,
    /// A line whose write fails, as a full disk would.
    fails_on: Option<String>,
}

impl TickingDisk {
    fn failing_on(line: &str) -> Self {
        Self {
            fails_on: Some(line.to_owned()),
            ..Self::default()
        }
    }

    fn write(&self, line: &str) -> io::Result<()> {
        if self.fails_on.as_deref() == Some(line) {
            return Err(io::Error::other(format!(
                "disk full while writing {line:?}"
            )));
        }
        if self.runtime.get() == Some(&thread::current().id()) {
            self.on_runtime.fetch_add(1, SeqCst);
        }
        let end = *self.window_end.get_or_init(|| Instant::now() + WINDOW);
        let before = self.ticks.load(SeqCst);
        let ticked = wait_until(end.saturating_duration_since(Instant::now()), || {
            self.ticks.load(SeqCst) > before
        });
        if !ticked {
            self.unticked.fetch_add(1, SeqCst);
        }
        self.written
            .lock()
            .expect("no write panics while holding it")
            .push(line.to_owned());
        Ok(())
    }

    fn written(&self) -> Vec<String> {
        self.written
            .lock()
            .expect("every write has finished")
            .clone()
    }
}

/// Runs the learner's `write_lines` on a one-thread runtime beside a
/// heartbeat, watched by a detector; returns its result.
fn run_on_the_loop<F>(
    write_lines: fn(BlockingWrite, Vec<String>) -> F,
    disk: &Arc<TickingDisk>,
    lines: Vec<String>,
    detector: &SlowPollDetector,
) -> Result<io::Result<()>, String>
where
    F: Future<Output = io::Result<()>> + 'static,
{
    let (disk, detector) = (Arc::clone(disk), detector.clone());
    EX_63_1.run("write_lines", STUCK, move || {
        one_thread().block_on(async move {
            disk.runtime
                .set(thread::current().id())
                .expect("set once, here");
            let heartbeat = tokio::spawn({
                let disk = Arc::clone(&disk);
                async move {
                    loop {
                        tokio::time::sleep(Duration::from_millis(1)).await;
                        disk.ticks.fetch_add(1, SeqCst);
                    }
                }
            });
            let write: BlockingWrite = Arc::new(move |line: &str| disk.write(line));
            let result = detector
                .watch("write_lines", write_lines(write, lines))
                .await;
            heartbeat.abort();
            result
        })
    })
}

/// Exercise 63.1's check: five lines on a slow disk, then a disk that fails
/// on the third.
fn check_write_off_the_loop<F>(
    write_lines: fn(BlockingWrite, Vec<String>) -> F,
) -> Result<(), String>
where
    F: Future<Output = io::Result<()>> + 'static,
{
    const LINES: usize = 5;
    let ex = EX_63_1;
    let lines: Vec<String> = (1..=LINES).map(|i| format!("line {i}")).collect();
    let disk = Arc::new(TickingDisk::default());
    let detector = SlowPollDetector::new(WINDOW / 2);
    let result = run_on_the_loop(write_lines, &disk, lines.clone(), &detector)?;
    result.map_err(|error| {
        ex.fail(
            format!("write_lines failed: {error}"),
            "no write fails in this run; pass each write's own result on",
        )
    })?;

    let held = held_the_thread(detector.reports());
    let unticked = disk.unticked.load(SeqCst);
    if !held.is_empty() || unticked > 0 {
        let on_runtime = disk.on_runtime.load(SeqCst);
        let seen = held
            .first()
            .map_or_else(|| "the heartbeat stalled".to_owned(), caught);
        let (where_, hint) = if on_runtime > 0 {
            (
                format!("{on_runtime} of {LINES} writes ran on the runtime's own thread"),
                "a blocking call inside an `async fn` runs on the runtime's thread: hand each \
                 write to `tokio::task::spawn_blocking` and `.await` its handle",
            )
        } else {
            (
                "the writes ran on other threads, but your task waited for them by blocking"
                    .to_owned(),
                "`JoinHandle::join` or a blocking `recv` holds the runtime's thread as surely as \
                 the write would: `.await` the `spawn_blocking` handle (or a `oneshot` receiver) \
                 instead",
            )
        };
        return Err(ex.fail(
            format!(
                "{seen}; the heartbeat did not tick during {unticked} of {LINES} writes, and {where_}"
            ),
            hint,
        ));
    }
    let written = disk.written();
    ex.ensure(
        written == lines,
        || format!("the disk received {written:?}; expected the {LINES} lines in order, each once"),
        "await each write before starting the next: writes started together may finish in any \
         order",
    )?;

    let disk = Arc::new(TickingDisk::failing_on("line 3"));
    let detector = SlowPollDetector::new(WINDOW / 2);
    let result = run_on_the_loop(write_lines, &disk, lines, &detector)?;
    let written = disk.written();
    match result {
        Ok(()) => Err(ex.fail(
            "write_lines returned Ok although writing \"line 3\" failed",
            "a `let _ =` on the handle's result throws the error away: use `?` on the join and \
             on the write",
        )),
        Err(error) if !error.to_string().contains("disk full") => Err(ex.fail(
            format!("write_lines returned {error:?}, not the failed write's own error"),
            "return the write's error as it is (`?`)",
        )),
        Err(_) => ex.ensure(
            written == ["line 1", "line 2"],
            || format!("writing \"line 3\" failed, yet the disk received {written:?}"),
            "stop at the first failed write: the lines after it must not be written",
        ),
    }
}

#[test]
fn exercise_63_1_write_off_the_loop() {
    verdict(check_write_off_the_loop(write_off_the_loop::write_lines));
}

const EX_63_2: Exercise = Exercise::new("63.2", "bw63-nonblocking/exercises/2_close_writer.rs");

/// What one line costs the writer thread: a simulated slow disk, so that the
/// backlog at `close` takes hundreds of milliseconds to write.
const SLOW_LINE: Duration = Duration::from_millis(100);

/// What the check saw when the learner's `close` returned.
struct Closed {
    result: io::Result<u64>,
    /// The file's lines at that moment.
    in_file: Vec<String>,
    /// Whether the writer thread had finished.
    exited: bool,
}

/// Starts a writer on a slow disk, sends `lines` at once, and calls the
/// learner's `close` on a one-thread runtime, watched by `detector`.
fn close_with_backlog<F>(
    close: fn(LineWriter) -> F,
    lines: &[&str],
    detector: &SlowPollDetector,
) -> Result<Closed, String>
where
    F: Future<Output = io::Result<u64>> + 'static,
{
    let dir = tempfile::tempdir().map_err(|e| format!("cannot make a temp dir: {e}"))?;
    let path = dir.path().join("out.log");
    let sink = LineSink::create(&path, DiskCost::SlowDisk(SLOW_LINE))
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    let lines: Vec<String> = lines.iter().map(|&line| line.to_owned()).collect();
    let detector = detector.clone();
    // A deadlocked `close` is the classic mistake here; a right one needs
    // about half a second.
    let closed = EX_63_2.run("close", Duration::from_secs(4), move || {
        one_thread().block_on(async move {
            let writer = LineWriter::start(sink).expect("the writer thread starts");
            let exited = Arc::clone(&writer.exited);
            for line in lines {
                // In the failing run the thread may already have stopped.
                let _ = writer.send(line);
            }
            let result = detector.watch("close", close(writer)).await;
            // What a program that exits right after `close` leaves behind.
            let in_file = std::fs::read_to_string(&path).unwrap_or_default();
            Closed {
                result,
                in_file: in_file.lines().map(str::to_owned).collect(),
                exited: exited.load(SeqCst),
            }
        })
    });
    if closed.is_err() {
        // A stuck writer thread may still use the directory: leave it.
        std::mem::forget(dir);
    }
    closed
}

/// Exercise 63.2's check: five lines queued for a slow disk, then `close`;
/// then a writer whose second line fails.
fn check_close_writer<F>(close: fn(LineWriter) -> F) -> Result<(), String>
where
    F: Future<Output = io::Result<u64>> + 'static,
{
    let ex = EX_63_2;
    let lines = ["one", "two", "three", "four", "five"];
    // The backlog takes about 400 ms at `close`; a poll of half that is no
    // accident.
    let detector = SlowPollDetector::new(SLOW_LINE * 2);
    let closed = close_with_backlog(close, &lines, &detector)?;
    if let Some(report) = held_the_thread(detector.reports()).first() {
        return Err(ex.fail(
            caught(report),
            "`JoinHandle::join` blocks until the thread has written its backlog: run it on the \
             blocking pool (`spawn_blocking(move || thread.join())`) and `.await` that",
        ));
    }
    let returned = match closed.result {
        Ok(count) => count,
        Err(error) => {
            return Err(ex.fail(
                format!("close failed: {error}"),
                "nothing fails in this run; return the thread's own result",
            ));
        }
    };
    let kept = closed.in_file.len();
    ex.ensure(
        closed.in_file == lines && closed.exited && returned == lines.len() as u64,
        || {
            format!(
                "when close returned, the file held {kept} of {} lines, the writer thread {}, \
                 and close returned Ok({returned}) for the {} lines the thread writes",
                lines.len(),
                if closed.exited {
                    "had exited"
                } else {
                    "was still running"
                },
                lines.len()
            )
        },
        "wait for the thread before returning: it writes the backlog after the channel closes, \
         and only `join` says it has finished — and hands back its count",
    )?;

    let detector = SlowPollDetector::new(SLOW_LINE * 2);
    let closed = close_with_backlog(close, &["one", "two\nlines", "three"], &detector)?;
    match closed.result {
        Ok(count) => Err(ex.fail(
            format!(
                "close returned Ok({count}) although the thread failed to write \"two\\nlines\""
            ),
            "the thread's `io::Result` is the answer: return its error, do not drop it",
        )),
        Err(error) => ex.ensure(
            error.to_string().contains("refusing to write"),
            || format!("close returned {error:?}, not the thread's own error"),
            "return the thread's error as it is",
        ),
    }
}

#[test]
fn exercise_63_2_close_writer() {
    verdict(check_close_writer(close_writer::close));
}

/// Wrong answers the checks must reject, each with the words that point to
/// its fix.
#[cfg(not(feature = "exercises"))]
#[allow(unreachable_pub)]
mod mistakes {
    use super::*;
    use course_support::exercise::rejected;

    #[path = "1_ignores_the_result.rs"]
    mod ignores_the_result;
    #[path = "1_joins_a_thread.rs"]
    mod joins_a_thread;
    #[path = "1_writes_on_the_loop.rs"]
    mod writes_on_the_loop;

    #[path = "2_detaches_the_thread.rs"]
    mod detaches_the_thread;
    #[path = "2_joins_on_the_loop.rs"]
    mod joins_on_the_loop;
    #[path = "2_keeps_the_sender.rs"]
    mod keeps_the_sender;

    #[test]
    fn mistake_63_1_writes_on_the_loop() {
        rejected(
            check_write_off_the_loop(writes_on_the_loop::write_lines),
            "5 of 5 writes ran on the runtime's own thread",
        );
    }

    #[test]
    fn mistake_63_1_joins_a_thread() {
        rejected(
            check_write_off_the_loop(joins_a_thread::write_lines),
            "waited for them by blocking",
        );
    }

    #[test]
    fn mistake_63_1_ignores_the_result() {
        rejected(
            check_write_off_the_loop(ignores_the_result::write_lines),
            "returned Ok although writing \"line 3\" failed",
        );
    }

    #[test]
    fn mistake_63_2_joins_on_the_loop() {
        rejected(
            check_close_writer(joins_on_the_loop::close),
            "the slow-poll detector caught close holding the runtime's thread",
        );
    }

    #[test]
    fn mistake_63_2_keeps_the_sender() {
        rejected(
            check_close_writer(keeps_the_sender::close),
            "close made no progress",
        );
    }

    #[test]
    fn mistake_63_2_detaches_the_thread() {
        rejected(
            check_close_writer(detaches_the_thread::close),
            "when close returned, the file held",
        );
    }
}
