//! Mistake: `?` in the joining loop. The panic is turned into the right
//! error, but the call returns at once, and the threads of the cells after it
//! are left behind, still running, with nobody to join them.

use std::sync::Arc;
use std::thread;

use bw56_life::{Grid, SimulationError};

use crate::join_every_thread::Step;

pub fn simulate_threaded(grid: Arc<Grid>, step: Arc<Step>) -> Result<Grid, SimulationError> {
    let handles: Vec<_> = grid
        .positions()
        .map(|(y, x)| {
            let (grid, step) = (Arc::clone(&grid), Arc::clone(&step));
            (y, x, thread::spawn(move || step(&grid, y, x)))
        })
        .collect();
    let mut states = Vec::new();
    for (y, x, handle) in handles {
        let state = handle
            .join()
            .map_err(|payload| SimulationError::panicked(y, x, payload))??;
        states.push(state);
    }
    Ok(Grid::from_states(grid.height(), grid.width(), states))
}
