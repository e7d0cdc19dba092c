//! Mistake: `.expect()` on every handle, as if a task could not panic. One
//! cell's panic then takes the whole generation down with it, and the caller
//! gets a crash instead of an error naming the cell.

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
            tokio::spawn(async move { step_cell(&timer, &io, y, x, |y, x| grid.get(y, x)).await })
        })
        .collect();
    let mut states = Vec::new();
    for task in tasks {
        states.push(task.await.expect("a cell task does not panic")?);
    }
    Ok(Grid::from_states(grid.height(), grid.width(), states))
}
