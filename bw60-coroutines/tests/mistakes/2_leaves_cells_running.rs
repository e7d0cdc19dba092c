//! Mistake: results are taken as the cells finish, and the first error is
//! returned at once — but the other handles are simply dropped. Dropping a
//! tokio `JoinHandle` detaches its task: the cells go on waiting and working
//! for a generation that has already failed.

use std::sync::Arc;

use bw56_life::{CellIo, Grid, SimulationError, State, Timer};
use bw60_coroutines::async_neighbors::step_cell;
use futures::stream::{FuturesUnordered, StreamExt};

pub async fn simulate<T>(timer: T, grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError>
where
    T: Timer + Clone + Send + Sync + 'static,
{
    let shared = Arc::new(grid.clone());
    let mut tasks: FuturesUnordered<_> = grid
        .positions()
        .enumerate()
        .map(|(index, (y, x))| {
            let (grid, io, timer) = (Arc::clone(&shared), io.clone(), timer.clone());
            tokio::spawn(async move {
                (
                    index,
                    step_cell(&timer, &io, y, x, |y, x| grid.get(y, x)).await,
                )
            })
        })
        .collect();
    let mut next = vec![State::Empty; grid.len()];
    while let Some(joined) = tasks.next().await {
        let (index, result) = joined.expect("the rules do not panic");
        next[index] = result?;
    }
    Ok(Grid::from_states(grid.height(), grid.width(), next))
}
