//! What a thread per cell costs, measured: time per thread, threads alive at
//! once, and the memory they take, for one generation of a grid.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use bw56_life::{CellIo, Grid, SimulationError, Strategy};
use course_support::{InFlight, memory};

use crate::cell_thread::CellThreads;

/// The cost of one fanned-out generation.
#[derive(Clone, Debug)]
pub struct FanOutCost {
    /// The strategy's name.
    pub name: String,
    /// Cells in the grid, which is also the number of threads started.
    pub cells: usize,
    /// Wall-clock time of the generation: starting, running and joining
    /// every thread.
    pub elapsed: Duration,
    /// The most cell threads running at the same time (started and not yet
    /// finished), counted by a gauge each thread enters.
    pub peak_threads: usize,
    /// How much the process's peak resident memory rose above what it was
    /// before the generation, in KiB; `None` where it cannot be known (see
    /// [`course_support::memory::Phase`]: no memory figures on this system,
    /// or a peak that cannot be reset and had been higher before).
    pub peak_growth_kib: Option<u64>,
    /// The grid the generation produced, to check against another strategy.
    pub grid: Grid,
}

impl FanOutCost {
    /// Wall-clock time per thread started. Without I/O this is what a thread
    /// costs to create, run and join; with I/O it is that cost plus the
    /// latency spread over the threads that overlapped.
    pub fn per_thread(&self) -> Duration {
        self.elapsed / u32::try_from(self.cells.max(1)).unwrap_or(u32::MAX)
    }

    /// Peak memory growth per thread started, in KiB.
    ///
    /// Per thread *started*, not per thread running: a thread that has
    /// finished keeps its stack until it is joined (its result and its
    /// descriptor live there), and the fan-in joins only after the whole
    /// fan-out, so at the peak every thread of the generation still holds
    /// its stack's touched pages.
    pub fn kib_per_thread(&self) -> Option<f64> {
        self.peak_growth_kib
            .map(|kib| kib as f64 / self.cells.max(1) as f64)
    }
}

/// Why a cost could not be measured.
#[derive(Debug, thiserror::Error)]
pub enum CostError {
    /// The generation itself failed.
    #[error(transparent)]
    Simulation(#[from] SimulationError),
    /// The process's memory could not be read.
    #[error("cannot read this process's memory")]
    Memory(#[source] io::Error),
}

/// Runs one generation of `grid` with the strategy `make` builds around a
/// thread configuration that counts live cell threads, and measures it.
///
/// Memory is the process-wide peak resident set, reset just before the
/// generation where the system allows it (Linux), so run nothing else
/// meanwhile. It counts what the threads
/// made resident — the touched pages of each stack; the kernel's own
/// bookkeeping is not included — and glibc keeps a few recently freed thread
/// stacks for reuse, so small runs after a large one grow the peak less.
pub fn measure_cost<S: Strategy>(
    make: impl FnOnce(CellThreads) -> S,
    grid: &Grid,
    io: &CellIo,
) -> Result<FanOutCost, CostError> {
    let gauge = Arc::new(InFlight::new());
    let mut strategy = make(CellThreads::new().with_gauge(Arc::clone(&gauge)));
    let phase = memory::Phase::start_if_available().map_err(CostError::Memory)?;
    let (next, elapsed) = course_support::timed(|| strategy.step(grid, io));
    let peak_growth_kib = match phase {
        Some(phase) => phase.peak_growth_kib().map_err(CostError::Memory)?,
        None => None,
    };
    Ok(FanOutCost {
        name: strategy.name(),
        cells: grid.len(),
        elapsed,
        peak_threads: gauge.peak(),
        peak_growth_kib,
        grid: next?,
    })
}
