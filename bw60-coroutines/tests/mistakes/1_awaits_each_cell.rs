//! Mistake: each task is awaited right after it is spawned. Every answer is
//! right, but no two cells ever wait together: the coroutines are as serial
//! as the loop they replaced.

use std::sync::Arc;

use bw56_life::{CellIo, Grid, SimulationError, Timer};
use bw60_coroutines::async_neighbors::step_cell;

pub async fn simulate<T>(timer: T, grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError>
where
    T: Timer + Clone + Send + Sync + 'static,
{
    let shared = Arc::new(grid.clone());
    let mut states = Vec::new();
    for (y, x) in grid.positions() {
        let (grid, io, timer) = (Arc::clone(&shared), io.clone(), timer.clone());
        let task =
            tokio::spawn(async move { step_cell(&timer, &io, y, x, |y, x| grid.get(y, x)).await });
        states.push(task.await.expect("the rules do not panic")?);
    }
    Ok(Grid::from_states(grid.height(), grid.width(), states))
}
