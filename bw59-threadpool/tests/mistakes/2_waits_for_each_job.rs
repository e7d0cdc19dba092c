//! Mistake: waiting for each job right after submitting it. The result is
//! right, but the pool never has two jobs at once: the run is serial.

use std::sync::Arc;

use bw56_life::{CellIo, Grid, SimulationError, next_state};
use bw59_threadpool::Pool;

pub fn simulate_pool(pool: &Pool, grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError> {
    let grid = Arc::new(grid.clone());
    let mut states = Vec::new();
    for (y, x) in grid.positions() {
        let (grid, io) = (Arc::clone(&grid), io.clone());
        let state = pool
            .submit(move || next_state(&io, y, x, |y, x| grid.get(y, x)))
            .result()
            .expect("the rules do not panic")?;
        states.push(state);
    }
    Ok(Grid::from_states(grid.height(), grid.width(), states))
}
