//! A `JoinSet` hands results back in the order cells finish, so the first
//! failure is seen the moment it happens; `shutdown` then cancels the other
//! tasks and waits until they are dropped, so no cell's I/O outlives the
//! generation that started it.

use std::collections::HashMap;
use std::sync::Arc;

use bw56_life::{CellIo, Grid, SimulationError, State, Timer};
use bw60_coroutines::async_neighbors::step_cell;
use tokio::task::JoinSet;

/// The next generation of `grid`, one task per cell; the first failure
/// cancels the rest.
pub async fn simulate<T>(timer: T, grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError>
where
    T: Timer + Clone + Send + Sync + 'static,
{
    let shared = Arc::new(grid.clone());
    let mut cells = JoinSet::new();
    // Which cell each task computes, so a panic (which carries no result)
    // can still be named.
    let mut cell_of = HashMap::new();
    for (index, (y, x)) in grid.positions().enumerate() {
        let (grid, io, timer) = (Arc::clone(&shared), io.clone(), timer.clone());
        let task =
            cells.spawn(async move { step_cell(&timer, &io, y, x, |y, x| grid.get(y, x)).await });
        cell_of.insert(task.id(), (index, y, x));
    }
    let mut next = vec![State::Empty; grid.len()];
    while let Some(joined) = cells.join_next_with_id().await {
        let failure = match joined {
            Ok((id, Ok(state))) => {
                next[cell_of[&id].0] = state;
                continue;
            }
            Ok((_, Err(error))) => error,
            // Nothing is aborted before this point, so a `JoinError` is a panic.
            Err(error) => {
                let (_, y, x) = cell_of[&error.id()];
                SimulationError::panicked(y, x, error.into_panic())
            }
        };
        // Cancel every other cell and wait until each task is dropped.
        cells.shutdown().await;
        return Err(failure);
    }
    Ok(Grid::from_states(grid.height(), grid.width(), next))
}
