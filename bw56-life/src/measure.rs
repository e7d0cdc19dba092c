//! Timing strategies and checking they agree: what every Life demo and
//! benchmark does around the strategies it compares.

use std::time::Duration;

use crate::cli::summary;
use crate::grid::Grid;
use crate::io::{CellIo, SimulationError};
use crate::simulate::{Strategy, run};

/// One strategy's run: its name, the grid it ended with, and how long it took.
#[derive(Clone, Debug)]
pub struct Run {
    /// The strategy's name (with its parameters, e.g. `pool(10)`).
    pub name: String,
    /// The grid after the last generation.
    pub grid: Grid,
    /// Wall-clock time of all the generations.
    pub elapsed: Duration,
}

/// Runs `strategy` for `generations` steps from `grid` and times it.
pub fn measure(
    strategy: &mut dyn Strategy,
    grid: &Grid,
    generations: usize,
    io: &CellIo,
) -> Result<Run, SimulationError> {
    let (result, elapsed) = course_support::timed(|| run(strategy, grid, generations, io));
    Ok(Run {
        name: strategy.name(),
        grid: result?,
        elapsed,
    })
}

/// Two strategies ended with different grids: a bug in one of them.
#[derive(Debug, thiserror::Error)]
#[error("{other} disagrees with {baseline}: {other_summary} vs {baseline_summary}")]
pub struct Disagreement {
    /// The first run's name.
    pub baseline: String,
    /// The first run's grid, as its `alive=… fnv1a=…` summary.
    pub baseline_summary: String,
    /// The name of the first run that differs from it.
    pub other: String,
    /// That run's grid summary.
    pub other_summary: String,
}

/// Checks every run ended with the same grid as the first.
pub fn check_agree(runs: &[Run]) -> Result<(), Disagreement> {
    let Some((first, rest)) = runs.split_first() else {
        return Ok(());
    };
    match rest.iter().find(|r| r.grid != first.grid) {
        None => Ok(()),
        Some(other) => Err(Disagreement {
            baseline: first.name.clone(),
            baseline_summary: summary(&first.grid),
            other: other.name.clone(),
            other_summary: summary(&other.grid),
        }),
    }
}

/// The time a serial run must take: every I/O call of every cell, one after
/// another (`cells × calls per cell × latency × generations`). Concurrency
/// exists to beat this figure.
pub fn serial_io_time(cells: usize, generations: usize, io: &CellIo) -> Duration {
    let calls = cells as u64 * generations as u64 * u64::from(io.calls_per_cell());
    io.latency()
        .saturating_mul(u32::try_from(calls).unwrap_or(u32::MAX))
}

/// The least time `workers` concurrent workers can take for the same I/O:
/// `ceil(cells / workers)` waits per generation and per call.
pub fn pool_io_limit(cells: usize, workers: usize, generations: usize, io: &CellIo) -> Duration {
    serial_io_time(cells.div_ceil(workers.max(1)), generations, io)
}
