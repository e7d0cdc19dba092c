//! The whole scenario of the book: tail several growing files into one output
//! while a heartbeat runs, once for each [`WritePath`].
//!
//! [`run_tasks`] is the book's `run_tasks`: open the output (`async with`),
//! start one tailer per input, wait for all of them, close the output. It also
//! runs the [`Heartbeat`] alongside and watches every tailer with a
//! [`SlowPollDetector`], so one call tells how responsive the runtime stayed.
//!
//! What the blocking version shows is worse than "one write's worth of lag",
//! for two reasons worth knowing:
//!
//! - **A ready `.await` does not yield.** A tailer's read runs on the blocking
//!   pool; if it has finished by the time the tailer polls its handle (the pool
//!   thread can run at once on another core), the handle is `Ready`, the
//!   tailer goes straight on to its next blocking write, and one poll holds the
//!   thread for several writes.
//! - **A busy current-thread runtime looks at its clock late.** It drives
//!   timers and I/O when it runs out of ready tasks, or after 61 polls
//!   ([`tokio::runtime::Builder::event_interval`]). While each blocking write
//!   lets another tailer's read finish, a ready tailer is always waiting, so
//!   the heartbeat's timer is not even noticed until the writing is over.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tokio::task::JoinSet;

use crate::detector::{SlowPoll, SlowPollDetector};
use crate::heartbeat::{Heartbeat, LagStats};
use crate::output::{OutputGuard, WritePath};
use crate::sink::{DiskCost, WriterStats};
use crate::tail::{Producer, TailError, tail_file};
use crate::write_thread::WriteError;

/// The knobs of one scenario run.
#[derive(Clone, Copy, Debug)]
pub struct ScenarioConfig {
    /// Input files, each with its producer thread and tailer task.
    pub files: usize,
    /// Lines per input file.
    pub lines: usize,
    /// The time between two lines of a producer.
    pub pace: Duration,
    /// How long a tailer sleeps when it finds nothing new.
    pub tail_interval: Duration,
    /// What each written line costs.
    pub cost: DiskCost,
    /// The heartbeat's interval.
    pub heartbeat: Duration,
    /// The slow-poll threshold.
    pub threshold: Duration,
}

impl Default for ScenarioConfig {
    /// The demo's settings: 4 files × 8 lines, a 20 ms simulated disk.
    fn default() -> Self {
        Self {
            files: 4,
            lines: 8,
            pace: Duration::from_millis(1),
            tail_interval: Duration::from_millis(2),
            cost: DiskCost::SlowDisk(Duration::from_millis(20)),
            heartbeat: Duration::from_millis(1),
            threshold: Duration::from_millis(10),
        }
    }
}

/// Why a scenario run failed.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// Creating an input or the output failed.
    #[error("setting up the files failed")]
    Setup(#[source] std::io::Error),
    /// A tailer failed.
    #[error(transparent)]
    Tail(#[from] TailError),
    /// Writing to the output failed.
    #[error("writing to the output failed")]
    Write(#[source] WriteError),
    /// Closing the output failed.
    #[error("closing the output failed")]
    Close(#[source] WriteError),
    /// A tailer task panicked.
    #[error("a tailer task panicked")]
    Panicked(#[source] tokio::task::JoinError),
}

/// What one run measured.
#[derive(Clone, Debug)]
pub struct ScenarioReport {
    /// How the lines were written.
    pub path: WritePath,
    /// The output file.
    pub output: PathBuf,
    /// From opening the output to closing it.
    pub elapsed: Duration,
    /// What the output received.
    pub written: WriterStats,
    /// The heartbeat's lag during the run.
    pub lag: LagStats,
    /// Every tailer poll over the threshold.
    pub slow_polls: Vec<SlowPoll>,
}

/// Runs the scenario in `dir` with the given write path, on the current
/// runtime. Inputs are `dir/input-N.log`; the output is
/// `dir/output-<path>.log`.
pub async fn run_tasks(
    dir: &Path,
    how: WritePath,
    config: &ScenarioConfig,
) -> Result<ScenarioReport, ScenarioError> {
    let heartbeat = Heartbeat::start(config.heartbeat);
    let detector = SlowPollDetector::new(config.threshold);
    let output_path = dir.join(format!("output-{how}.log"));

    let started = Instant::now();
    let guard = OutputGuard::open(&output_path, how, config.cost)
        .await
        .map_err(ScenarioError::Setup)?;

    // Creating files and threads blocks briefly, so it too runs on the pool.
    let inputs: Vec<PathBuf> = (0..config.files)
        .map(|n| dir.join(format!("input-{n}.log")))
        .collect();
    let (files, lines, pace) = (inputs.clone(), config.lines, config.pace);
    let producers = tokio::task::spawn_blocking(move || {
        files
            .into_iter()
            .enumerate()
            .map(|(n, path)| Producer::start(path, n, lines, pace))
            .collect::<std::io::Result<Vec<_>>>()
    })
    .await
    .map_err(|e| ScenarioError::Setup(std::io::Error::other(e)))?;
    let producers = match producers {
        Ok(producers) => producers,
        Err(e) => {
            // Nothing was written yet, but the output must still be closed
            // (for the writer thread: stopped and joined).
            let _ = guard.close().await;
            return Err(ScenarioError::Setup(e));
        }
    };

    let mut tailers = JoinSet::new();
    for (n, producer) in producers.iter().enumerate() {
        let tail = tail_file(
            producer.path.clone(),
            producer.finished(),
            config.tail_interval,
            guard.output(),
        );
        tailers.spawn(detector.watch(format!("tail-{n}"), tail));
    }
    // Wait for every tailer, remembering the first failure. A failure does not
    // cut the others short: they finish their files, so that the output is
    // closed with everything they wrote.
    let mut first_error = None;
    while let Some(joined) = tailers.join_next().await {
        let failure = match joined {
            Ok(Ok(_lines)) => continue,
            Ok(Err(e)) => ScenarioError::Tail(e),
            Err(e) => ScenarioError::Panicked(e),
        };
        first_error.get_or_insert(failure);
    }

    let closed = guard.close().await;
    let elapsed = started.elapsed();
    // The producers finished before their tailers could (a tailer ends only
    // after seeing its producer's flag), so these joins return at once; they
    // still go to the pool, as every blocking call here does.
    let joined =
        tokio::task::spawn_blocking(move || producers.into_iter().try_for_each(Producer::join))
            .await;
    let lag = heartbeat.stop().await;

    if let Some(error) = first_error {
        return Err(error);
    }
    let written = closed.map_err(ScenarioError::Close)?;
    joined
        .map_err(|e| ScenarioError::Setup(std::io::Error::other(e)))?
        .map_err(ScenarioError::Setup)?;
    Ok(ScenarioReport {
        path: how,
        output: output_path,
        elapsed,
        written,
        lag,
        slow_polls: detector.reports(),
    })
}

/// The mean cost of one awaited write from a single task, for `lines` lines
/// written the given way to `path` with [`DiskCost::Buffered`] — the overhead
/// of each write path itself, with a disk too fast to matter.
pub async fn per_write_cost(
    path: &Path,
    how: WritePath,
    lines: usize,
) -> Result<Duration, ScenarioError> {
    let guard = OutputGuard::open(path, how, DiskCost::Buffered)
        .await
        .map_err(ScenarioError::Setup)?;
    let output = guard.output();
    let started = Instant::now();
    for n in 0..lines {
        output
            .write(format!("line {n}"))
            .await
            .map_err(ScenarioError::Write)?;
    }
    let elapsed = started.elapsed();
    drop(output);
    guard.close().await.map_err(ScenarioError::Close)?;
    Ok(elapsed / u32::try_from(lines.max(1)).unwrap_or(u32::MAX))
}
