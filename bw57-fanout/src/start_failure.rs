//! When the operating system refuses a thread — shown safely, in a child
//! process with a limit of its own.
//!
//! A thread per cell means the number of threads is chosen by the *input*: a
//! large enough grid asks for more threads than the system allows, and the
//! next `pthread_create` fails with `EAGAIN`. Python raises
//! `RuntimeError: can't start new thread`; Rust's [`std::thread::spawn`]
//! panics ("failed to spawn thread"); [`std::thread::Builder::spawn`] returns
//! the error, which is what both strategies of this crate use, so the caller
//! gets a [`SimulationError`] naming the cell whose thread could not start —
//! after every thread already started has been joined.
//!
//! To provoke the refusal without exhausting the machine, the demo starts
//! **itself** as a child process (with the hidden flag
//! `--thread-start-failure-child`). The child lowers its own `RLIMIT_NPROC`,
//! the limit on tasks (processes and threads) of its user, so that it may
//! start only [`CHILD_THREAD_LIMIT`] threads, then runs one generation of a
//! 100-cell grid with each strategy. Limits are per process and inherited
//! only by its own children, so nothing else on the machine is affected.
//!
//! Root ignores `RLIMIT_NPROC`; a child running as root therefore first
//! switches to an otherwise unused user id ([`CHILD_UID`]), whose task count
//! is its own. An unprivileged child counts its user's tasks in `/proc` and
//! sets the limit that many plus [`CHILD_THREAD_LIMIT`]; tasks of the same
//! user starting elsewhere meanwhile can only lower the number of threads the
//! child gets.
//!
//! This experiment needs Linux: there `RLIMIT_NPROC` counts threads. On macOS
//! it counts processes only, and Windows has no such limit; the demo prints
//! `skipped on <os>: <why>` instead (see [`crate::platform`]).

use std::fmt;
use std::io;
use std::path::Path;
use std::process::Command;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use bw56_life::{CellIo, Grid, SimulationError, Strategy};
use course_support::InFlight;

use crate::cell_thread::{CellThreads, thread_start_failure};
use crate::platform;
use crate::scoped::Scoped;
use crate::thread_per_cell::ThreadPerCell;

/// The command-line flag (without the leading `--`) that makes the demo
/// binary act as the child of this experiment.
pub const CHILD_FLAG: &str = "thread-start-failure-child";

/// The user id a root child switches to: high enough not to belong to anyone
/// on an ordinary system, so the tasks counted against the limit are the
/// child's own.
pub const CHILD_UID: u32 = 57_057;

/// How many threads, besides its main thread, a child running as root may
/// start.
pub const CHILD_THREAD_LIMIT: u64 = 15;

/// The grid the child fans out: 100 cells, far more than the limit.
const CHILD_GRID: (usize, usize) = (10, 10);

/// The I/O latency in the child. It keeps the first threads alive (blocked in
/// their I/O) while the next ones are started, so they count against the
/// limit together, as they would on a large grid.
const CHILD_LATENCY: Duration = Duration::from_millis(100);

/// One strategy's run in the child: where it stopped and what was left.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StartFailure {
    /// The strategy's name (`thread-per-cell` or `scoped`).
    pub strategy: String,
    /// Row of the cell whose thread could not be started.
    pub y: usize,
    /// Column of that cell.
    pub x: usize,
    /// Cell threads started before the refusal (all joined).
    pub started: usize,
    /// Cells in the grid.
    pub cells: usize,
    /// Cell threads still running when the error reached the caller,
    /// counted by an [`InFlight`] gauge every cell thread enters: must be 0.
    pub left_running: usize,
    /// The error as the caller printed it, with its causes.
    pub message: String,
}

impl fmt::Display for StartFailure {
    /// One line, `start-failure key=value ... message=<rest of line>`: how
    /// the child reports to the parent through its stdout.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "start-failure strategy={} y={} x={} started={} cells={} left_running={} message={}",
            self.strategy,
            self.y,
            self.x,
            self.started,
            self.cells,
            self.left_running,
            self.message
        )
    }
}

impl FromStr for StartFailure {
    type Err = String;

    fn from_str(line: &str) -> Result<Self, Self::Err> {
        let rest = line
            .strip_prefix("start-failure ")
            .ok_or_else(|| format!("not a start-failure line: {line:?}"))?;
        let (fields, message) = rest
            .split_once(" message=")
            .ok_or_else(|| format!("no message in {line:?}"))?;
        let field = |name: &str| -> Result<&str, String> {
            fields
                .split_whitespace()
                .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
                .ok_or_else(|| format!("no {name}= in {line:?}"))
        };
        let number = |name: &str| -> Result<usize, String> {
            field(name)?
                .parse()
                .map_err(|e| format!("{name} in {line:?}: {e}"))
        };
        Ok(Self {
            strategy: field("strategy")?.to_owned(),
            y: number("y")?,
            x: number("x")?,
            started: number("started")?,
            cells: number("cells")?,
            left_running: number("left_running")?,
            message: message.to_owned(),
        })
    }
}

/// Limits the threads this process may start from now on to about
/// [`CHILD_THREAD_LIMIT`]: exactly that many when running as root (after
/// switching to [`CHILD_UID`]), about that many otherwise (other processes
/// of the same user come and go). Returns the limit set.
///
/// This is irreversible for the process — it gives up root, and a lowered
/// hard limit cannot be raised again — so call it only in a process started
/// for the purpose, before it has started any thread.
///
/// Only Linux can do this ([`crate::platform::THREAD_LIMIT_UNAVAILABLE`]
/// says why elsewhere); other systems get an error of kind
/// [`io::ErrorKind::Unsupported`].
pub fn limit_threads_of_this_process() -> io::Result<u64> {
    platform::limit_threads(CHILD_UID, CHILD_THREAD_LIMIT)
}

/// Whether the limit the child sets is exact: it is when the child starts as
/// root and switches to [`CHILD_UID`], a user with no other tasks.
pub fn limit_is_exact() -> bool {
    platform::runs_as_root()
}

/// The child's side: limits its threads, runs one generation of a 100-cell
/// grid with each strategy, and returns one [`StartFailure`] line per
/// strategy (or an error if a strategy did *not* fail as expected).
pub fn run_child_experiment() -> Result<Vec<StartFailure>, String> {
    limit_threads_of_this_process().map_err(|e| e.to_string())?;
    let (height, width) = CHILD_GRID;
    let grid = Grid::soup(height, width, 1);
    let io = CellIo::new(CHILD_LATENCY);
    let gauge = Arc::new(InFlight::new());
    let threads = CellThreads::new().with_gauge(Arc::clone(&gauge));
    let strategies: [Box<dyn Strategy>; 2] = [
        Box::new(ThreadPerCell::new(threads.clone())),
        Box::new(Scoped::new(threads)),
    ];
    strategies
        .into_iter()
        .map(|mut strategy| {
            let outcome = strategy.step(&grid, &io);
            describe(&*strategy, &grid, outcome, gauge.current())
        })
        .collect()
}

fn describe(
    strategy: &dyn Strategy,
    grid: &Grid,
    outcome: Result<Grid, SimulationError>,
    left_running: usize,
) -> Result<StartFailure, String> {
    let error = match outcome {
        Ok(_) => {
            return Err(format!(
                "{}: all {} threads started despite the limit",
                strategy.name(),
                grid.len()
            ));
        }
        Err(error) => error,
    };
    let failure = thread_start_failure(&error).ok_or_else(|| {
        format!(
            "{}: failed, but not to start a thread: {}",
            strategy.name(),
            chain(&error)
        )
    })?;
    Ok(StartFailure {
        strategy: strategy.name(),
        y: error.y,
        x: error.x,
        started: failure.started,
        cells: grid.len(),
        left_running,
        message: chain(&error),
    })
}

/// An error and its causes on one line, `outer: inner: root`.
pub fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

/// The parent's side: runs `exe --thread-start-failure-child` and reads the
/// child's report. Fails if the child could not run, exited unsuccessfully
/// (its stderr is quoted) or reported nothing.
pub fn provoke_in_child(exe: &Path) -> io::Result<Vec<StartFailure>> {
    let output = Command::new(exe).arg(format!("--{CHILD_FLAG}")).output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(io::Error::other(format!(
            "the child {} exited with {}: {}",
            exe.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    let failures = stdout
        .lines()
        .filter(|line| line.starts_with("start-failure "))
        .map(|line| line.parse().map_err(io::Error::other))
        .collect::<io::Result<Vec<StartFailure>>>()?;
    if failures.is_empty() {
        return Err(io::Error::other(format!(
            "the child reported no start failure; its output was: {stdout:?}"
        )));
    }
    Ok(failures)
}
