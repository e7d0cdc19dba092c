//! The book's first refactoring: a fixed set of long-lived `game_logic`
//! workers, fed through a channel, answering through another.

use std::io;
use std::sync::Arc;

use bw56_life::{CellIo, Grid, SimulationError, Strategy};
use crossbeam_channel::{Receiver, Sender, bounded};

use crate::fan::{CellResult, LogicJob, fan_out_fan_in, guarded, logic_worker};
use crate::workers::{LiveWorkers, Workers};

/// A pipeline of `workers` long-lived threads running `game_logic` (with its
/// I/O): strategy `pipeline`.
///
/// ```text
///              jobs (bounded)                 results (bounded)
/// coordinator ───(y, x, state, neighbors)──▶ N workers ───(y, x, result)──▶ coordinator
/// ```
///
/// The caller's thread is the coordinator: for every cell it reads the state,
/// counts the neighbours — **itself**, as the book's first version does, so
/// if `count_neighbors` does I/O ([`CellIo::with_neighbor_io`]) those waits
/// happen one after another in the caller; that is what
/// [`TwoPhasePipeline`](crate::TwoPhasePipeline) fixes — and sends the job.
/// Results come back in any order and are placed by their coordinates.
///
/// The workers are started once, in the constructor, and serve every
/// generation; dropping the pipeline closes the channels and joins them.
/// Unlike item 57's thread per cell, the number of threads is fixed by the
/// program, not by the grid, and so is the number of I/O calls in flight:
/// at most `workers`.
///
/// ```
/// use bw56_life::{CellIo, Grid, Serial, Strategy};
/// use bw58_refactor::Pipeline;
///
/// let grid = Grid::soup(12, 9, 7);
/// let mut pipeline = Pipeline::new(4);
/// let live = pipeline.live_workers();
/// assert_eq!(live.get(), 4);
/// for _ in 0..3 {
///     let next = pipeline.step(&grid, &CellIo::none()).expect("no fault injected");
///     assert_eq!(next, Serial.step(&grid, &CellIo::none()).expect("serial"));
/// }
/// drop(pipeline); // closes the channels and joins the workers
/// assert_eq!(live.get(), 0);
/// ```
#[derive(Debug)]
pub struct Pipeline {
    /// Jobs for the workers. `None` only while dropping: dropping the last
    /// sender closes the channel, and that is what tells the workers to exit.
    jobs_tx: Option<Sender<LogicJob>>,
    /// Results from the workers. Dropped before the workers are joined, so a
    /// worker blocked on sending a result is released instead of holding up
    /// the join.
    results_rx: Option<Receiver<CellResult>>,
    /// The worker threads, joined on drop.
    workers: Workers,
    /// Room in each channel, in messages.
    capacity: usize,
}

impl Pipeline {
    /// A pipeline of `workers` threads whose channels each hold `workers`
    /// messages: enough to keep every worker busy, small enough that the
    /// coordinator cannot run far ahead of them.
    ///
    /// # Panics
    ///
    /// If `workers` is 0, or if the operating system refuses to start a
    /// worker thread ([`Pipeline::try_with_capacity`] returns that as an
    /// error instead).
    pub fn new(workers: usize) -> Self {
        Self::with_capacity(workers, workers)
    }

    /// A pipeline of `workers` threads whose channels each hold `capacity`
    /// messages (0 makes every send wait for a receiver).
    ///
    /// # Panics
    ///
    /// As [`Pipeline::new`].
    pub fn with_capacity(workers: usize, capacity: usize) -> Self {
        Self::try_with_capacity(workers, capacity)
            .expect("the operating system refused to start a pipeline worker thread")
    }

    /// Like [`Pipeline::with_capacity`], but a refused worker thread is an
    /// error; the workers already started are then shut down and joined.
    ///
    /// # Panics
    ///
    /// If `workers` is 0: a pipeline without workers would wait forever.
    pub fn try_with_capacity(workers: usize, capacity: usize) -> io::Result<Self> {
        assert!(workers > 0, "a pipeline needs at least one worker");
        let (jobs_tx, jobs_rx) = bounded(capacity);
        let (results_tx, results_rx) = bounded(capacity);
        let mut pipeline = Self {
            jobs_tx: Some(jobs_tx),
            results_rx: Some(results_rx),
            workers: Workers::default(),
            capacity,
        };
        for i in 0..workers {
            let jobs_rx = jobs_rx.clone();
            let results_tx = results_tx.clone();
            // On error `?` drops `pipeline`, whose Drop closes the channels
            // and joins the workers started so far. The name is the worker's
            // lane in a timeline: the `cell io` spans it runs are drawn there.
            pipeline.workers.spawn(format!("worker {i}"), move || {
                logic_worker(jobs_rx, results_tx)
            })?;
        }
        // Only the workers may hold these ends: a receiver kept here would
        // keep the channel open after the workers are gone, a sender kept
        // here would make "all workers exited" undetectable.
        drop((jobs_rx, results_tx));
        Ok(pipeline)
    }

    /// The number of worker threads.
    pub fn workers(&self) -> usize {
        self.workers.len()
    }

    /// Room in each channel, in messages.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// A live count of this pipeline's worker threads, which stays readable
    /// after the pipeline is dropped (it is then 0).
    pub fn live_workers(&self) -> LiveWorkers {
        self.workers.live()
    }

    /// The book's `simulate_pipeline`: one generation through the workers.
    ///
    /// `&mut self` because one pipeline serves one generation at a time: two
    /// callers sharing the channels would collect each other's results.
    pub fn simulate_pipeline(&mut self, grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError> {
        let (Some(jobs_tx), Some(results_rx)) = (&self.jobs_tx, &self.results_rx) else {
            unreachable!("the channels are taken only by Drop");
        };
        let io = Arc::new(io.clone());
        // The jobs are made lazily, one per cell, as the channel has room.
        let jobs = grid.positions().map(|(y, x)| {
            let state = grid.get(y as isize, x as isize);
            // Counting stays in the coordinator (the book's first step); a
            // panic here is caught too, so it is reported like a worker's.
            let neighbors = guarded(|| io.count_neighbors(y, x, |y, x| grid.get(y, x)))
                .map_err(|source| SimulationError { y, x, source })?;
            Ok(LogicJob {
                y,
                x,
                state,
                neighbors,
                io: Arc::clone(&io),
            })
        });
        fan_out_fan_in(grid, jobs, jobs_tx, results_rx)
    }
}

impl Strategy for Pipeline {
    fn name(&self) -> String {
        "pipeline".to_owned()
    }

    fn step(&mut self, grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError> {
        self.simulate_pipeline(grid, io)
    }
}

impl Drop for Pipeline {
    /// Shuts the pipeline down: closes both channels, then joins every
    /// worker. After a finished or failed generation nothing is in flight,
    /// so each worker is waiting in `recv`, sees the channel closed and
    /// returns.
    fn drop(&mut self) {
        drop(self.jobs_tx.take());
        drop(self.results_rx.take());
        self.workers.join();
    }
}
