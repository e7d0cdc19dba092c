//! Mistake: the handles are awaited in row-major order, as in exercise 60.1.
//! A cell that fails at once is only noticed when the loop reaches it, after
//! every cell before it has finished its I/O.

use std::sync::Arc;

use bw56_life::{CellIo, Grid, SimulationError, Timer};
use bw60_coroutines::async_neighbors::step_cell;

pub async fn simulate<T>(timer: T, grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError>
where
    T: Timer + Clone + Send + Sync + 'static,
{
    let shared = Arc::new(grid.clone());
    let tasks: Vec<_> = grid
        .positions()
        .map(|(y, x)| {
            let (grid, io, timer) = (Arc::clone(&shared), io.clone(), timer.clone());
            (
                y,
                x,
                tokio::spawn(
                    async move { step_cell(&timer, &io, y, x, |y, x| grid.get(y, x)).await },
                ),
            )
        })
        .collect();
    let mut states = Vec::new();
    for (y, x, task) in tasks {
        match task.await {
            Ok(result) => states.push(result?),
            Err(error) => return Err(SimulationError::panicked(y, x, error.into_panic())),
        }
    }
    Ok(Grid::from_states(grid.height(), grid.width(), states))
}
