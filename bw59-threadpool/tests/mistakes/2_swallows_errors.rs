//! Mistake: a failing cell is quietly counted as dead. Every generation
//! "succeeds", and the failure the book raises as `SimulationError` is lost.

use std::sync::Arc;

use bw56_life::{CellIo, Grid, SimulationError, State, next_state};
use bw59_threadpool::Pool;

pub fn simulate_pool(pool: &Pool, grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError> {
    let grid = Arc::new(grid.clone());
    let handles: Vec<_> = grid
        .positions()
        .map(|(y, x)| {
            let (grid, io) = (Arc::clone(&grid), io.clone());
            pool.submit(move || next_state(&io, y, x, |y, x| grid.get(y, x)))
        })
        .collect();
    let states = handles
        .into_iter()
        .map(|handle| match handle.result() {
            Ok(Ok(state)) => state,
            _ => State::Empty,
        })
        .collect();
    Ok(Grid::from_states(grid.height(), grid.width(), states))
}
