//! Mistake: a failed cell is quietly taken as empty. Every generation
//! "succeeds", and the failure that happened in a thread never reaches the
//! caller — the core's `--break`.

use std::thread;

use bw56_life::{Grid, SimulationError};

use crate::scoped_fan_out::Step;

pub fn simulate_scoped(grid: &Grid, step: &Step) -> Result<Grid, SimulationError> {
    thread::scope(|s| {
        let handles: Vec<_> = grid
            .positions()
            .map(|(y, x)| s.spawn(move || step(grid, y, x)))
            .collect();
        let states = handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .expect("the cell's step does not panic")
                    .unwrap_or_default()
            })
            .collect();
        Ok(Grid::from_states(grid.height(), grid.width(), states))
    })
}
