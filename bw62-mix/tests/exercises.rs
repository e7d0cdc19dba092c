//! The checks of this lesson's exercises.
//!
//! By default they run against the reference answers in `solutions/`, so
//! `cargo test --workspace` proves the checks pass on a right answer; with
//! `--features exercises` they run against your files in `exercises/`:
//!
//! ```text
//! cargo test -p bw62-mix --features exercises --test exercises
//! ```
//!
//! Each catalogued mistake in `tests/mistakes/` must be rejected by its
//! exercise's check, with the words a learner would need; the `mistake_*`
//! tests prove it (without the feature only).
//!
//! Both checks merge real files, grown by writer threads in a temp dir, and
//! judge the output with the lesson's own `verify`.

use std::fs::OpenOptions;
use std::future::Future;
use std::io::{self, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Duration;

use bw62_mix::threads::TailFn;
use bw62_mix::{AsyncOutput, Stop, Workload, verify};
use course_support::exercise::{Exercise, catching, unless_todo, verdict, wait_until};

#[cfg_attr(
    feature = "exercises",
    path = "../exercises/1_blocking_pool.rs",
    allow(clippy::todo, unused_variables)
)]
#[cfg_attr(not(feature = "exercises"), path = "../solutions/1_blocking_pool.rs")]
#[allow(unreachable_pub)]
mod blocking_pool;

#[cfg_attr(
    feature = "exercises",
    path = "../exercises/2_via_async.rs",
    allow(clippy::todo, unused_variables)
)]
#[cfg_attr(not(feature = "exercises"), path = "../solutions/2_via_async.rs")]
#[allow(unreachable_pub)]
mod via_async;

/// Long enough for any of these runs on a busy machine; only a stuck answer
/// reaches it.
const STUCK: Duration = Duration::from_secs(10);

/// Three files of 40 lines, each line after a pause below 2 ms.
const WORKLOAD: Workload = Workload {
    files: 3,
    lines: 40,
    max_delay: Duration::from_millis(2),
    seed: 62,
};

/// How often a tailer looks for new lines.
const INTERVAL: Duration = Duration::from_millis(1);

/// The first way `output` fails the lesson's `verify` against `inputs`.
fn verified(ex: Exercise, inputs: &[PathBuf], output: &Path) -> Result<(), String> {
    verify(inputs, output).map(|_| ()).map_err(|error| {
        ex.fail(
            format!("the merged output is wrong: {error}"),
            "every line of every file goes to the output once, in its file's order",
        )
    })
}

const EX_62_1: Exercise = Exercise::new("62.1", "bw62-mix/exercises/1_blocking_pool.rs");

/// The learner's `run_tasks_mixed`, given owned arguments (see the tests).
type RunMixed =
    fn(Vec<PathBuf>, AsyncOutput, Stop) -> Pin<Box<dyn Future<Output = io::Result<u64>>>>;

/// Beats of the heartbeat that prove the runtime's thread is free.
const BEATS: usize = 5;

/// How long the check waits for those beats before it gives up and raises
/// the stop signal anyway: only a blocked runtime needs more than a few
/// milliseconds.
const BEAT_WINDOW: Duration = Duration::from_secs(3);

/// A task that counts a beat every millisecond, as long as the runtime's
/// thread is free to run it.
async fn heartbeat(beats: Arc<AtomicUsize>) {
    loop {
        tokio::time::sleep(Duration::from_millis(1)).await;
        beats.fetch_add(1, SeqCst);
    }
}

/// What one run of 62.1's check saw.
struct MixedRun {
    /// The answer's result, whether the stop signal was up when it returned;
    /// or the message of its panic.
    merged: Result<(io::Result<u64>, bool), String>,
    /// Beats after the writers were done, while the tailers still ran.
    beats: usize,
    inputs: Vec<PathBuf>,
    output: PathBuf,
    _dir: tempfile::TempDir,
}

/// Runs `run_tasks_mixed` on a single-threaded runtime with a heartbeat,
/// while the writers grow the files. The stop signal is raised once the
/// writers are done and the heartbeat has beaten [`BEATS`] times since (or
/// [`BEAT_WINDOW`] has passed).
fn run_mixed(run_tasks_mixed: RunMixed) -> io::Result<MixedRun> {
    let dir = tempfile::tempdir()?;
    let inputs = WORKLOAD.create_inputs(dir.path())?;
    let output_path = dir.path().join("merged.log");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let beats = Arc::new(AtomicUsize::new(0));
    runtime.spawn(heartbeat(Arc::clone(&beats)));
    let stop = Stop::new();
    let writers = WORKLOAD.start_writers(&inputs);
    let closer = {
        let (stop, beats) = (stop.clone(), Arc::clone(&beats));
        thread::spawn(move || {
            let written = writers.join();
            let from = beats.load(SeqCst);
            wait_until(BEAT_WINDOW, || beats.load(SeqCst) >= from + BEATS);
            let beaten = beats.load(SeqCst) - from;
            stop.raise();
            (written, beaten)
        })
    };
    let merged = catching(|| {
        runtime.block_on(async {
            let output = AsyncOutput::create(&output_path).await?;
            let lines = run_tasks_mixed(inputs.clone(), output.clone(), stop.clone()).await;
            let stopped = stop.is_raised();
            output.finish().await?;
            Ok::<_, io::Error>((lines, stopped))
        })
    });
    // Keep the runtime turning until the stop signal, so whatever an answer
    // left running on it can finish.
    runtime.block_on(async {
        while !closer.is_finished() {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    });
    let (written, beaten) = closer.join().expect("the closer does not panic");
    // Waits for any tailer still running on the blocking pool.
    drop(runtime);
    written?;
    Ok(MixedRun {
        merged: match merged {
            Ok(result) => Ok(result?),
            Err(message) => Err(message),
        },
        beats: beaten,
        inputs,
        output: output_path,
        _dir: dir,
    })
}

/// Exercise 62.1's check: three growing files merged by the answer on a
/// single-threaded runtime that also runs a heartbeat.
fn check_blocking_pool(run_tasks_mixed: RunMixed) -> Result<(), String> {
    let ex = EX_62_1;
    let run = ex
        .run("run_tasks_mixed", STUCK, move || run_mixed(run_tasks_mixed))?
        .map_err(|error| ex.fail(format!("the check's files failed: {error}"), "rerun"))?;
    let blocking_hint = "tokio refuses to block a thread that drives tasks: run each `tail_file` \
                         with `spawn_blocking`, where `handle.block_on` is allowed";
    let (lines, stopped) = match run.merged {
        Ok(merged) => merged,
        Err(message) => {
            return Err(ex.fail(
                format!("run_tasks_mixed panicked: {message}"),
                blocking_hint,
            ));
        }
    };
    ex.ensure(
        run.beats >= BEATS,
        || {
            format!(
                "the runtime's heartbeat beat {} times in {} s while your tailers ran: a \
                 blocking call held the runtime's only thread, and every task on it stood still",
                run.beats,
                BEAT_WINDOW.as_secs()
            )
        },
        "the async function may only await: run the blocking tailers on the blocking pool \
         (`spawn_blocking`) and await their handles, never a blocking `join`",
    )?;
    let lines = lines.map_err(|error| {
        ex.fail(
            format!("run_tasks_mixed returned an error: {error}"),
            blocking_hint,
        )
    })?;
    ex.ensure(
        stopped,
        || {
            "run_tasks_mixed returned before the stop signal was raised: its tailers were \
             still running, writing an output the caller was already closing"
                .to_owned()
        },
        "await every tailer's handle (`JoinSet::join_next`) before returning",
    )?;
    let total = WORKLOAD.total_lines() as u64;
    ex.ensure(
        lines == total,
        || format!("run_tasks_mixed returned {lines}, but {total} lines were merged"),
        "return the sum of the line counts the tailers return",
    )?;
    verified(ex, &run.inputs, &run.output)
}

#[test]
fn exercise_62_1_blocking_pool() {
    verdict(check_blocking_pool(|inputs, output, stop| {
        Box::pin(
            async move { blocking_pool::run_tasks_mixed(&inputs, &output, INTERVAL, &stop).await },
        )
    }));
}

const EX_62_2: Exercise = Exercise::new("62.2", "bw62-mix/exercises/2_via_async.rs");

/// What one run of 62.2's check saw.
struct ViaAsyncRun {
    /// Each tailer thread's result, or the message of its panic.
    calls: Vec<Result<io::Result<u64>, String>>,
    inputs: Vec<PathBuf>,
    output: PathBuf,
    _dir: tempfile::TempDir,
}

/// The first line of input `index`, written by the check before the
/// writers start, so every tailer finds its file at an end before the stop
/// signal — and has to wait for more.
fn first_line(index: usize) -> String {
    format!("{} ready\n", Workload::file_name(index))
}

/// Runs `tail` on one plain thread per file while the writers grow the
/// files; the stop signal goes up once the writers are done.
fn run_via_async(tail: TailFn) -> io::Result<ViaAsyncRun> {
    let dir = tempfile::tempdir()?;
    let inputs = WORKLOAD.create_inputs(dir.path())?;
    for (index, path) in inputs.iter().enumerate() {
        OpenOptions::new()
            .append(true)
            .open(path)?
            .write_all(first_line(index).as_bytes())?;
    }
    let stop = Stop::new();
    let merged = Mutex::new(Vec::new());
    let delivered: Vec<AtomicUsize> = inputs.iter().map(|_| AtomicUsize::new(0)).collect();
    let (written, outcomes) = thread::scope(|scope| {
        let tailers: Vec<_> = inputs
            .iter()
            .zip(&delivered)
            .map(|(path, delivered)| {
                let (stop, merged) = (&stop, &merged);
                scope.spawn(move || {
                    panic::catch_unwind(AssertUnwindSafe(|| {
                        let mut write = |line: &[u8]| {
                            merged
                                .lock()
                                .unwrap_or_else(PoisonError::into_inner)
                                .extend_from_slice(line);
                            delivered.fetch_add(1, SeqCst);
                            Ok::<(), io::Error>(())
                        };
                        tail(path, INTERVAL, stop, &mut write)
                    }))
                })
            })
            .collect();
        // The writers start once every tailer has handed over its file's
        // first line (or ended): from then on, each has met the end of its
        // file with the stop signal down.
        wait_until(STUCK, || {
            tailers
                .iter()
                .zip(&delivered)
                .all(|(tailer, n)| n.load(SeqCst) > 0 || tailer.is_finished())
        });
        let written = WORKLOAD.start_writers(&inputs).join();
        stop.raise();
        let outcomes: Vec<_> = tailers
            .into_iter()
            .map(|tailer| tailer.join().expect("its panic is caught inside"))
            .collect();
        (written, outcomes)
    });
    written?;
    let output = dir.path().join("merged.log");
    std::fs::write(
        &output,
        merged.into_inner().unwrap_or_else(PoisonError::into_inner),
    )?;
    Ok(ViaAsyncRun {
        calls: outcomes
            .into_iter()
            .map(|outcome| outcome.map_err(unless_todo))
            .collect(),
        inputs,
        output,
        _dir: dir,
    })
}

/// Exercise 62.2's check: three growing files, each followed by the answer
/// on a plain thread.
fn check_via_async(tail: TailFn) -> Result<(), String> {
    let ex = EX_62_2;
    let run = ex
        .run("tail_file_via_async", STUCK, move || run_via_async(tail))?
        .map_err(|error| ex.fail(format!("the check's files failed: {error}"), "rerun"))?;
    for (index, call) in run.calls.iter().enumerate() {
        let file = Workload::file_name(index);
        match call {
            Err(message) => {
                let hint = if message.contains("timers are disabled") {
                    "the runtime you built has no timer, and `tail_async` sleeps on it between \
                     polls: build it with `.enable_time()`"
                } else if message.contains("context of a Tokio") {
                    "a plain thread has no runtime to borrow: build one of its own \
                     (`Builder::new_current_thread().enable_time().build()`) and run \
                     `tail_async` with its `block_on`"
                } else {
                    "read the panic; a plain thread must be able to call this"
                };
                return Err(ex.fail(
                    format!(
                        "your tail_file_via_async panicked on the plain thread following \
                         {file}: {message}"
                    ),
                    hint,
                ));
            }
            Ok(Err(error)) => {
                return Err(ex.fail(
                    format!("tail_file_via_async failed on {file}: {error}"),
                    "return what `tail_async` returns",
                ));
            }
            Ok(Ok(lines)) => {
                let want = WORKLOAD.lines as u64 + 1;
                ex.ensure(
                    *lines == want,
                    || format!("tail_file_via_async returned {lines} for {file}, which has {want} lines"),
                    "return the count `tail_async` returns",
                )?;
            }
        }
    }
    verified(ex, &run.inputs, &run.output)
}

#[test]
fn exercise_62_2_via_async() {
    verdict(check_via_async(via_async::tail_file_via_async));
}

/// Wrong answers the checks must reject, each with the words that point to
/// its fix.
#[cfg(not(feature = "exercises"))]
#[allow(unreachable_pub)]
mod mistakes {
    use super::*;
    use course_support::exercise::rejected;

    #[path = "2_borrows_a_runtime.rs"]
    mod borrows_a_runtime;
    #[path = "1_joins_threads_on_the_runtime.rs"]
    mod joins_threads_on_the_runtime;
    #[path = "1_returns_before_the_tailers_finish.rs"]
    mod returns_before_the_tailers_finish;
    #[path = "2_runtime_without_a_timer.rs"]
    mod runtime_without_a_timer;
    #[path = "1_tails_on_the_runtime.rs"]
    mod tails_on_the_runtime;

    #[test]
    fn mistake_62_1_joins_threads_on_the_runtime() {
        rejected(
            check_blocking_pool(|inputs, output, stop| {
                Box::pin(async move {
                    joins_threads_on_the_runtime::run_tasks_mixed(&inputs, &output, INTERVAL, &stop)
                        .await
                })
            }),
            "a blocking call held the runtime's only thread",
        );
    }

    #[test]
    fn mistake_62_1_returns_before_the_tailers_finish() {
        rejected(
            check_blocking_pool(|inputs, output, stop| {
                Box::pin(async move {
                    returns_before_the_tailers_finish::run_tasks_mixed(
                        &inputs, &output, INTERVAL, &stop,
                    )
                    .await
                })
            }),
            "returned before the stop signal was raised",
        );
    }

    #[test]
    fn mistake_62_1_tails_on_the_runtime() {
        rejected(
            check_blocking_pool(|inputs, output, stop| {
                Box::pin(async move {
                    tails_on_the_runtime::run_tasks_mixed(&inputs, &output, INTERVAL, &stop).await
                })
            }),
            "run each `tail_file` with `spawn_blocking`",
        );
    }

    #[test]
    fn mistake_62_2_borrows_a_runtime() {
        rejected(
            check_via_async(borrows_a_runtime::tail_file_via_async),
            "has no runtime to borrow",
        );
    }

    #[test]
    fn mistake_62_2_runtime_without_a_timer() {
        rejected(
            check_via_async(runtime_without_a_timer::tail_file_via_async),
            "has no timer",
        );
    }
}
