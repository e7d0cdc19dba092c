//! Spawn every cell before awaiting any: a task starts running when it is
//! spawned, not when it is awaited, so the waits overlap only if the fan-out
//! is finished first — and awaiting the handles in spawn order gives
//! row-major order for free.

use std::sync::Arc;

use bw56_life::{CellIo, Grid, SimulationError, Timer};
use bw60_coroutines::async_neighbors::step_cell;

/// The next generation of `grid`, one tokio task per cell.
pub async fn simulate<T>(timer: T, grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError>
where
    T: Timer + Clone + Send + Sync + 'static,
{
    let shared = Arc::new(grid.clone());
    let handles: Vec<_> =
        grid.positions()
            .map(|(y, x)| {
                let (grid, io, timer) = (Arc::clone(&shared), io.clone(), timer.clone());
                let task = tokio::spawn(async move {
                    step_cell(&timer, &io, y, x, |y, x| grid.get(y, x)).await
                });
                (y, x, task)
            })
            .collect();
    let mut states = Vec::with_capacity(handles.len());
    for (y, x, task) in handles {
        match task.await {
            Ok(result) => states.push(result?),
            // Nothing aborts these tasks, so a `JoinError` is a panic.
            Err(error) => return Err(SimulationError::panicked(y, x, error.into_panic())),
        }
    }
    Ok(Grid::from_states(grid.height(), grid.width(), states))
}
