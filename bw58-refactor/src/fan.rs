//! What both pipelines share: the messages, the `game_logic` worker, and the
//! coordinator that fans jobs out and results in without deadlocking.

use std::io;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;

use bw56_life::io::panic_message;
use bw56_life::{CellError, CellIo, Grid, SimulationError, State};
use crossbeam_channel::{Receiver, Select, Sender};

/// The book's `(y, x, state, neighbors)`: what a `game_logic` worker needs.
#[derive(Debug)]
pub(crate) struct LogicJob {
    pub(crate) y: usize,
    pub(crate) x: usize,
    pub(crate) state: State,
    pub(crate) neighbors: u8,
    /// The I/O settings of this generation. The workers outlive every call
    /// to `step`, but the settings arrive with each call, so every job carries
    /// a shared handle to them (cloning an `Arc` is one atomic increment).
    pub(crate) io: Arc<CellIo>,
}

/// The book's `(y, x, next_state)`, where the state may be an error: errors
/// travel back through the same channel as values, because the coordinator
/// is the one that must report them.
#[derive(Debug)]
pub(crate) struct CellResult {
    pub(crate) y: usize,
    pub(crate) x: usize,
    pub(crate) result: Result<State, CellError>,
}

/// Runs `call` for cell `(y, x)`, turning an error or a panic into a value.
///
/// A long-lived worker must survive the cells it computes: if a panic ended
/// the worker's thread, the cell's result would never arrive and the
/// coordinator would wait for it forever. So the panic is caught here and
/// sent back like any other failure.
pub(crate) fn guarded<T>(call: impl FnOnce() -> io::Result<T>) -> Result<T, CellError> {
    // AssertUnwindSafe: after a panic nothing of the closure's state is used
    // again — the job is consumed and its failure reported — so no broken
    // invariant can be observed.
    match panic::catch_unwind(AssertUnwindSafe(call)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(CellError::Io(error)),
        Err(payload) => Err(CellError::Panicked(panic_message(payload.as_ref()))),
    }
}

/// The book's `game_logic_thread`: takes jobs until the channel is closed and
/// drained, runs `game_logic` (with its I/O) for each, and sends the result.
pub(crate) fn logic_worker(jobs_rx: Receiver<LogicJob>, results_tx: Sender<CellResult>) {
    // `for job in jobs_rx` ends when every sender is gone and the channel is
    // empty: closing the channel is how the pipeline says "stop", no sentinel
    // value needed.
    for job in jobs_rx {
        let LogicJob {
            y,
            x,
            state,
            neighbors,
            io,
        } = job;
        let result = guarded(|| io.game_logic(y, x, state, neighbors));
        if results_tx.send(CellResult { y, x, result }).is_err() {
            // Nobody collects results any more: the pipeline is shutting down.
            break;
        }
    }
}

/// The coordinator of one generation: sends every job into `jobs_tx`,
/// collects one [`CellResult`] per job from `results_rx`, and assembles the
/// new grid once every result is in.
///
/// `jobs` yields the jobs in row-major order; an `Err` from it is a failure
/// of the coordinator's own work for that cell (the one-phase pipeline counts
/// neighbours here).
///
/// **Why this cannot deadlock on bounded channels.** The book sends every job
/// first and collects results afterwards. With bounded channels that stalls
/// as soon as the grid has more cells than the channels and workers can hold:
/// the workers block sending results nobody is reading yet, stop taking jobs,
/// and the coordinator blocks sending the next job — each waits for the
/// other. Here the coordinator never commits to a send alone: it waits on
/// *either* the send *or* a receive ([`Select`]) and does whichever is ready,
/// so results keep draining while jobs wait for room.
///
/// **Errors.** After the first failure no new job is sent (the generation is
/// lost anyway), but every job already sent is still collected, so no stale
/// result is left in the channel for the next generation and the pipeline
/// stays usable. The failure reported is the first in row-major order among
/// those that came back.
pub(crate) fn fan_out_fan_in<J>(
    grid: &Grid,
    mut jobs: impl Iterator<Item = Result<J, SimulationError>>,
    jobs_tx: &Sender<J>,
    results_rx: &Receiver<CellResult>,
) -> Result<Grid, SimulationError> {
    let mut next = Assembly::new(grid);
    let (mut sent, mut received) = (0usize, 0usize);
    let mut feeding = true;
    // A job taken from `jobs` that is still waiting for room in the channel.
    let mut pending: Option<J> = None;

    loop {
        if feeding && pending.is_none() {
            match jobs.next() {
                Some(Ok(job)) => pending = Some(job),
                Some(Err(error)) => next.fail(error),
                None => feeding = false,
            }
        }
        if next.failed() {
            // Stop fanning out; only drain what is already in flight.
            feeding = false;
            pending = None;
        }
        match pending.take() {
            Some(job) => {
                // Send the job or receive a result, whichever can happen
                // first: never block on the send alone.
                let mut select = Select::new();
                let send = select.send(jobs_tx);
                select.recv(results_rx);
                let operation = select.select();
                if operation.index() == send {
                    operation
                        .send(jobs_tx, job)
                        .map_err(|_| next.workers_gone())?;
                    sent += 1;
                } else {
                    let message = operation
                        .recv(results_rx)
                        .map_err(|_| next.workers_gone())?;
                    next.collect(message);
                    received += 1;
                    // The job still waits for room: try again.
                    pending = Some(job);
                }
            }
            // Everything is sent (or sending stopped): drain what is in flight.
            None if received < sent => {
                let message = results_rx.recv().map_err(|_| next.workers_gone())?;
                next.collect(message);
                received += 1;
            }
            // Nothing left to send and nothing in flight.
            None => break,
        }
    }
    next.finish()
}

/// The next generation, filled in as results arrive in any order.
struct Assembly {
    height: usize,
    width: usize,
    cells: Vec<State>,
    /// Which cells have a result, to name the first missing one if the
    /// workers vanish.
    filled: Vec<bool>,
    /// The failure of the earliest cell (row-major) so far.
    failure: Option<SimulationError>,
}

impl Assembly {
    fn new(grid: &Grid) -> Self {
        Self {
            height: grid.height(),
            width: grid.width(),
            cells: vec![State::Empty; grid.len()],
            filled: vec![false; grid.len()],
            failure: None,
        }
    }

    fn collect(&mut self, message: CellResult) {
        let CellResult { y, x, result } = message;
        match result {
            Ok(state) => {
                self.cells[y * self.width + x] = state;
                self.filled[y * self.width + x] = true;
            }
            // The worker sent the failure as a value; only here, where the
            // cell is known to the caller, does it become the book's
            // SimulationError(y, x).
            Err(source) => self.fail(SimulationError { y, x, source }),
        }
    }

    fn fail(&mut self, error: SimulationError) {
        // Keep the earliest cell, whatever order the results arrive in.
        if self
            .failure
            .as_ref()
            .is_none_or(|kept| (error.y, error.x) < (kept.y, kept.x))
        {
            self.failure = Some(error);
        }
    }

    fn failed(&self) -> bool {
        self.failure.is_some()
    }

    /// The error for a pipeline whose workers have all exited (a channel
    /// disconnected mid-generation), naming the first cell without a result.
    /// Workers catch the panics of their cells, so this would be a defect —
    /// but it must be an error, not a hang.
    fn workers_gone(&self) -> SimulationError {
        let missing = self.filled.iter().position(|&f| !f).unwrap_or(0);
        SimulationError::io(
            missing / self.width,
            missing % self.width,
            io::Error::new(
                io::ErrorKind::BrokenPipe,
                "the pipeline's workers are gone; this cell's result never came back",
            ),
        )
    }

    fn finish(self) -> Result<Grid, SimulationError> {
        match self.failure {
            Some(error) => Err(error),
            None => Ok(Grid::from_states(self.height, self.width, self.cells)),
        }
    }
}
