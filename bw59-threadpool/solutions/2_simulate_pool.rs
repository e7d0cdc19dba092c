//! Submit everything before waiting for anything: the waits overlap only if
//! the fan-out finishes first, and waiting on the handles in submission
//! order gives row-major order for free.

use std::sync::Arc;

use bw56_life::{CellIo, Grid, SimulationError, next_state};
use bw59_threadpool::Pool;

/// The next generation of `grid`, one pool job per cell.
pub fn simulate_pool(pool: &Pool, grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError> {
    let grid = Arc::new(grid.clone());
    let handles: Vec<_> = grid
        .positions()
        .map(|(y, x)| {
            let (grid, io) = (Arc::clone(&grid), io.clone());
            (
                y,
                x,
                pool.submit(move || next_state(&io, y, x, |y, x| grid.get(y, x))),
            )
        })
        .collect();
    // Wait for every job, even after a failure, so none is still running
    // when this returns; keep the first error.
    let mut states = Vec::with_capacity(handles.len());
    let mut first_error = None;
    for (y, x, handle) in handles {
        match handle.result() {
            Ok(Ok(state)) => states.push(state),
            Ok(Err(error)) => {
                first_error.get_or_insert(error);
            }
            Err(payload) => {
                first_error.get_or_insert(SimulationError::panicked(y, x, payload));
            }
        }
    }
    match first_error {
        Some(error) => Err(error),
        None => Ok(Grid::from_states(grid.height(), grid.width(), states)),
    }
}
