//! The book's second refactoring: `count_neighbors` does I/O too, so it
//! moves out of the coordinator into a phase of its own.

use std::io;
use std::sync::Arc;

use bw56_life::{CellIo, Grid, SimulationError, Strategy};
use crossbeam_channel::{Receiver, Sender, bounded};

use crate::fan::{CellResult, LogicJob, fan_out_fan_in, guarded, logic_worker};
use crate::workers::{LiveWorkers, Workers};

/// The job of a neighbour worker: which cell, and the generation it belongs
/// to.
#[derive(Debug)]
struct CountJob {
    y: usize,
    x: usize,
    /// The *old* grid. Every count of a generation reads this one immutable
    /// copy: an `Arc<Grid>` hands out only `&Grid`, so no worker can change
    /// it, and the new grid is a different value assembled by the
    /// coordinator — the two cannot be confused.
    grid: Arc<Grid>,
    io: Arc<CellIo>,
}

/// A two-phase pipeline: `workers` neighbour workers feeding `workers` logic
/// workers: strategy `pipeline-2phase`.
///
/// ```text
///              count jobs               logic jobs                   results
/// coordinator ──(y, x, grid)──▶ N neighbour ──(y, x, state, n)──▶ N logic ──(y, x, result)──▶ coordinator
///                               workers    ╰──(y, x, error)───────────────────────────────────▶
/// ```
///
/// **Neighbour I/O is always on.** This pipeline exists because
/// `count_neighbors` does I/O, so [`step`](Strategy::step) runs with
/// `io.clone().with_neighbor_io(true)` whatever `io` says: every cell makes two
/// I/O calls, one per phase. Its serial reference is therefore [`Serial`]
/// with [`CellIo::with_neighbor_io`]`(true)` — the same grids (I/O never
/// changes a cell), the same number of waits.
///
/// **Sequencing.** A generation's counts all read the old grid, shared by
/// every count job as an `Arc<Grid>`; the coordinator assembles the new grid
/// from the results and returns it only when every cell's result is in, so
/// the next generation's counts cannot start before this one's logic is done.
/// A count failure skips the logic phase and goes straight to the results.
///
/// [`Serial`]: bw56_life::Serial
///
/// ```
/// use bw56_life::{CellIo, Grid, Serial, Strategy};
/// use bw58_refactor::TwoPhasePipeline;
///
/// let grid = Grid::soup(8, 8, 3);
/// let mut pipeline = TwoPhasePipeline::new(3);
/// assert_eq!(pipeline.live_workers().get(), 6); // 3 per phase
/// let io = CellIo::none();
/// let next = pipeline.step(&grid, &io).expect("no fault injected");
/// let serial = Serial.step(&grid, &io.with_neighbor_io(true)).expect("serial");
/// assert_eq!(next, serial);
/// ```
#[derive(Debug)]
pub struct TwoPhasePipeline {
    /// Jobs for the neighbour workers; dropping it starts the shutdown: the
    /// neighbour workers exit, their logic senders go with them, and that
    /// closes the logic channel in turn.
    count_tx: Option<Sender<CountJob>>,
    /// Results from both phases; dropped before joining, as in [`Pipeline`].
    ///
    /// [`Pipeline`]: crate::Pipeline
    results_rx: Option<Receiver<CellResult>>,
    /// Both phases' threads, joined on drop.
    workers: Workers,
    /// Workers in each phase.
    per_phase: usize,
    /// Room in each of the three channels, in messages.
    capacity: usize,
}

impl TwoPhasePipeline {
    /// `workers` neighbour workers and `workers` logic workers, with channels
    /// of `workers` messages each.
    ///
    /// # Panics
    ///
    /// If `workers` is 0, or if the operating system refuses to start a
    /// worker thread ([`TwoPhasePipeline::try_with_capacity`] returns that as
    /// an error instead).
    pub fn new(workers: usize) -> Self {
        Self::with_capacity(workers, workers)
    }

    /// `workers` per phase, with channels of `capacity` messages each.
    ///
    /// # Panics
    ///
    /// As [`TwoPhasePipeline::new`].
    pub fn with_capacity(workers: usize, capacity: usize) -> Self {
        Self::try_with_capacity(workers, capacity)
            .expect("the operating system refused to start a pipeline worker thread")
    }

    /// Like [`TwoPhasePipeline::with_capacity`], but a refused worker thread
    /// is an error; the workers already started are shut down and joined.
    ///
    /// # Panics
    ///
    /// If `workers` is 0.
    pub fn try_with_capacity(workers: usize, capacity: usize) -> io::Result<Self> {
        assert!(
            workers > 0,
            "a pipeline needs at least one worker per phase"
        );
        let (count_tx, count_rx) = bounded::<CountJob>(capacity);
        // New: a channel between the phases.
        let (logic_tx, logic_rx) = bounded::<LogicJob>(capacity);
        let (results_tx, results_rx) = bounded(capacity);
        let mut pipeline = Self {
            count_tx: Some(count_tx),
            results_rx: Some(results_rx),
            workers: Workers::default(),
            per_phase: workers,
            capacity,
        };
        for i in 0..workers {
            let (count_rx, logic_tx, results_tx) =
                (count_rx.clone(), logic_tx.clone(), results_tx.clone());
            // Named by phase and number: a timeline draws each thread's
            // `cell io` spans on a lane of that name.
            pipeline.workers.spawn(format!("neighbors #{i}"), move || {
                count_worker(count_rx, logic_tx, results_tx);
            })?;
        }
        for i in 0..workers {
            let (logic_rx, results_tx) = (logic_rx.clone(), results_tx.clone());
            pipeline.workers.spawn(format!("logic #{i}"), move || {
                logic_worker(logic_rx, results_tx)
            })?;
        }
        // As in Pipeline: the channel ends belong to the workers alone. In
        // particular no `logic_tx` may stay here, or the logic channel would
        // never close and the logic workers never exit.
        drop((count_rx, logic_tx, logic_rx, results_tx));
        Ok(pipeline)
    }

    /// Workers in each phase.
    pub fn workers_per_phase(&self) -> usize {
        self.per_phase
    }

    /// Room in each channel, in messages.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// A live count of both phases' worker threads (`2 × workers` while the
    /// pipeline runs, 0 after it is dropped).
    pub fn live_workers(&self) -> LiveWorkers {
        self.workers.live()
    }

    /// One generation through both phases, with neighbour I/O forced on.
    pub fn simulate_pipeline(&mut self, grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError> {
        let (Some(count_tx), Some(results_rx)) = (&self.count_tx, &self.results_rx) else {
            unreachable!("the channels are taken only by Drop");
        };
        let io = Arc::new(io.clone().with_neighbor_io(true));
        // The workers outlive this call, so they cannot borrow `grid` (item
        // 57's scoped threads could, because the scope ended with the
        // generation). They share one copy of it instead.
        let old = Arc::new(grid.clone());
        // New: the coordinator no longer counts; it only hands out cells.
        let jobs = grid.positions().map(|(y, x)| {
            Ok(CountJob {
                y,
                x,
                grid: Arc::clone(&old),
                io: Arc::clone(&io),
            })
        });
        fan_out_fan_in(grid, jobs, count_tx, results_rx)
    }
}

/// The book's `count_neighbors_thread`: counts the neighbours of each cell
/// (with the I/O) and passes the cell on to the logic phase, or, if the count
/// failed, its failure straight to the results.
fn count_worker(
    jobs_rx: Receiver<CountJob>,
    logic_tx: Sender<LogicJob>,
    results_tx: Sender<CellResult>,
) {
    for CountJob { y, x, grid, io } in jobs_rx {
        let state = grid.get(y as isize, x as isize);
        let sent = match guarded(|| io.count_neighbors(y, x, |y, x| grid.get(y, x))) {
            Ok(neighbors) => logic_tx
                .send(LogicJob {
                    y,
                    x,
                    state,
                    neighbors,
                    io,
                })
                .is_ok(),
            Err(source) => results_tx
                .send(CellResult {
                    y,
                    x,
                    result: Err(source),
                })
                .is_ok(),
        };
        if !sent {
            // The next stage is gone: the pipeline is shutting down.
            break;
        }
    }
}

impl Strategy for TwoPhasePipeline {
    fn name(&self) -> String {
        "pipeline-2phase".to_owned()
    }

    fn step(&mut self, grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError> {
        self.simulate_pipeline(grid, io)
    }
}

impl Drop for TwoPhasePipeline {
    /// Closes the count channel and the results channel, then joins both
    /// phases. The logic channel closes by itself when the last neighbour
    /// worker exits and drops its sender.
    fn drop(&mut self) {
        drop(self.count_tx.take());
        drop(self.results_rx.take());
        self.workers.join();
    }
}
