//! Join every handle in a plain loop that never returns early, because
//! stopping at the first failure would abandon the threads not yet joined;
//! keep the first failure, naming the cell from the handle's coordinates.

use std::sync::Arc;
use std::thread;

use bw56_life::{Grid, SimulationError, State};

/// The work of one cell, shareable with threads that own what they use.
pub type Step = dyn Fn(&Grid, usize, usize) -> Result<State, SimulationError> + Send + Sync;

/// The generation after `grid`, a `std::thread` per cell, every one joined.
pub fn simulate_threaded(grid: Arc<Grid>, step: Arc<Step>) -> Result<Grid, SimulationError> {
    let handles: Vec<_> = grid
        .positions()
        .map(|(y, x)| {
            let (grid, step) = (Arc::clone(&grid), Arc::clone(&step));
            (y, x, thread::spawn(move || step(&grid, y, x)))
        })
        .collect();
    let mut states = Vec::with_capacity(handles.len());
    let mut first_error = None;
    for (y, x, handle) in handles {
        match handle.join() {
            Ok(Ok(state)) => states.push(state),
            Ok(Err(error)) => {
                first_error.get_or_insert(error);
            }
            Err(payload) => {
                first_error.get_or_insert_with(|| SimulationError::panicked(y, x, payload));
            }
        }
    }
    match first_error {
        Some(error) => Err(error),
        None => Ok(Grid::from_states(grid.height(), grid.width(), states)),
    }
}
