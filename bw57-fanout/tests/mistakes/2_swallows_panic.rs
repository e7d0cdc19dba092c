//! Mistake: a panicked thread is taken as an empty cell — what Python does
//! with an exception in a thread: print it and carry on. The generation comes
//! back `Ok`, and wrong.

use std::sync::Arc;
use std::thread;

use bw56_life::{Grid, SimulationError, State};

use crate::join_every_thread::Step;

pub fn simulate_threaded(grid: Arc<Grid>, step: Arc<Step>) -> Result<Grid, SimulationError> {
    let handles: Vec<_> = grid
        .positions()
        .map(|(y, x)| {
            let (grid, step) = (Arc::clone(&grid), Arc::clone(&step));
            thread::spawn(move || step(&grid, y, x))
        })
        .collect();
    let mut states = Vec::new();
    let mut first_error = None;
    for handle in handles {
        match handle.join().unwrap_or(Ok(State::Empty)) {
            Ok(state) => states.push(state),
            Err(error) => {
                first_error.get_or_insert(error);
                states.push(State::Empty);
            }
        }
    }
    match first_error {
        Some(error) => Err(error),
        None => Ok(Grid::from_states(grid.height(), grid.width(), states)),
    }
}
