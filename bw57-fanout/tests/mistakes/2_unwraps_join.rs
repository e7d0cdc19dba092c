//! Mistake: `join().expect(..)`. A cell thread's panic is carried into the
//! caller's thread and takes it down too, instead of coming back as an error
//! that names the cell.

use std::sync::Arc;
use std::thread;

use bw56_life::{Grid, SimulationError};

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
    for handle in handles {
        states.push(handle.join().expect("a cell thread does not panic")?);
    }
    Ok(Grid::from_states(grid.height(), grid.width(), states))
}
