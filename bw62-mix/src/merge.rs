//! One measuring harness for the four versions: writers, tailers, shutdown.
//!
//! Every version has the same signature, `(inputs, output, interval, stop) ->
//! lines`, so [`run_merge`] can drive any of them the same way and the
//! differences between the steps are exactly the differences between the
//! modules — the rayon-demo recipe.
//!
//! The harness plays the book's `setup` and `close_all`: it creates the input
//! files, starts the writer threads, and starts a *closer* thread that decides
//! when the tailers stop. With [`Shutdown::AfterWriters`] (ours) the closer
//! joins every writer first and raises the [`Stop`] signal only then, so the
//! tailers' final drain sees every line. [`Shutdown::AtDeadline`] reproduces
//! the book's `close_all` — stop after a fixed time, whatever the writers are
//! doing — and loses the lines written after it; the demo runs it once to show
//! [`verify`](crate::verify()) catching the loss.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::thread;
use std::time::{Duration, Instant};

use crate::bottom_up::run_threads_bottom_up;
use crate::mixed::{self, run_tasks_mixed};
use crate::stop::Stop;
use crate::tasks::{self, run_tasks};
use crate::threads::run_threads;
use crate::workload::Workload;

/// The four steps of the migration, in the book's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    /// Step 1, [`run_threads`]: a thread per file, the output behind a lock.
    Threads,
    /// Step 2, [`run_tasks_mixed`]: async at the top, blocking tailers on the
    /// blocking pool, writes handed back to the runtime.
    Mixed,
    /// Step 3, [`run_tasks`]: a task per file, all async.
    Tasks,
    /// Step 4, [`run_threads_bottom_up`]: the thread API, each thread running
    /// the async tailer on its own runtime.
    BottomUp,
}

impl Version {
    /// All four, in order.
    pub const ALL: [Version; 4] = [Self::Threads, Self::Mixed, Self::Tasks, Self::BottomUp];

    /// The short name used on the command line and in tables.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Threads => "threads",
            Self::Mixed => "mixed",
            Self::Tasks => "tasks",
            Self::BottomUp => "bottom-up",
        }
    }

    /// One line saying what this version is.
    pub const fn describe(self) -> &'static str {
        match self {
            Self::Threads => "run_threads: a thread per file, output behind a Mutex",
            Self::Mixed => "run_tasks_mixed: spawn_blocking(tail_file) + Handle::block_on(write)",
            Self::Tasks => "run_tasks: a task per file, tokio::fs reads, timer polls",
            Self::BottomUp => "run_threads + tail_file_via_async: a runtime per thread",
        }
    }

    /// Runs this version to completion: returns once `stop` is raised and
    /// every tailer has drained its file. Returns the number of lines merged.
    ///
    /// The async versions get a fresh multi-threaded runtime here, as the
    /// book's `asyncio.run(...)` gets a fresh event loop; each step module
    /// says how its runtime is sized ([`mixed::runtime`], [`tasks::runtime`]).
    pub fn run(
        self,
        inputs: &[PathBuf],
        output: &Path,
        interval: Duration,
        stop: &Stop,
    ) -> io::Result<u64> {
        match self {
            Self::Threads => run_threads(inputs, output, interval, stop),
            Self::Mixed => mixed::runtime(inputs.len())?
                .block_on(run_tasks_mixed(inputs, output, interval, stop)),
            Self::Tasks => tasks::runtime()?.block_on(run_tasks(inputs, output, interval, stop)),
            Self::BottomUp => run_threads_bottom_up(inputs, output, interval, stop),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Version {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.name() == text)
            .ok_or_else(|| {
                let names: Vec<_> = Self::ALL.iter().map(|v| v.name()).collect();
                format!(
                    "unknown version {text:?}; expected one of: {}",
                    names.join(", ")
                )
            })
    }
}

/// When the tailers are told to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shutdown {
    /// After every writer has been joined: nothing can be lost.
    AfterWriters,
    /// After a fixed time from the start, like the book's `close_all`: lines
    /// written later are never read.
    AtDeadline(Duration),
}

/// What one [`run_merge`] did.
#[derive(Debug, Clone)]
pub struct MergeRun {
    /// The version that ran.
    pub version: Version,
    /// The input files, in order.
    pub inputs: Vec<PathBuf>,
    /// The merged output file.
    pub output: PathBuf,
    /// Lines the tailers wrote to the output.
    pub lines: u64,
    /// From starting the writers until every tailer had finished.
    pub elapsed: Duration,
    /// From raising the stop signal until every tailer had finished: the
    /// final drain (plus, for step 4, tearing down the per-thread runtimes).
    pub drain: Duration,
}

impl MergeRun {
    /// Lines merged per second, end to end.
    pub fn lines_per_sec(&self) -> f64 {
        self.lines as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Writes `workload` into fresh files in `dir` (which should be empty) while
/// `version` tails them into `dir/merged-<version>.log`, stopping as
/// `shutdown` says. Does not verify: call [`verify`](crate::verify()) on the
/// result's `inputs` and `output`.
pub fn run_merge(
    version: Version,
    workload: &Workload,
    interval: Duration,
    shutdown: Shutdown,
    dir: &Path,
) -> io::Result<MergeRun> {
    let inputs = workload.create_inputs(dir)?;
    let output = dir.join(format!("merged-{}.log", version.name()));
    let stop = Stop::new();

    let start = Instant::now();
    let writers = workload.start_writers(&inputs);
    // The book's `close_all` thread, with our rule as the default.
    let closer = thread::Builder::new().name("closer".into()).spawn({
        let stop = stop.clone();
        move || match shutdown {
            Shutdown::AfterWriters => {
                // Join first, then raise: the order the tailers' drain relies on.
                let written = writers.join();
                let raised = Instant::now();
                stop.raise();
                (written, raised)
            }
            Shutdown::AtDeadline(after) => {
                thread::sleep(after);
                let raised = Instant::now();
                stop.raise();
                (writers.join(), raised)
            }
        }
    });
    let closer = match closer {
        Ok(closer) => closer,
        Err(e) => {
            // The thread could not start (the system is out of threads). The
            // writers were moved into its closure and are now detached; they
            // end by themselves after their last line, so nothing hangs.
            return Err(e);
        }
    };

    let merged = version.run(&inputs, &output, interval, &stop);
    let done = Instant::now();
    let (written, raised) = closer
        .join()
        .map_err(|_| io::Error::other("the closer thread panicked"))?;
    let lines = merged?;
    written?;
    Ok(MergeRun {
        version,
        inputs,
        output,
        lines,
        elapsed: done - start,
        drain: done.saturating_duration_since(raised),
    })
}
