//! Mistake: joining each thread right after spawning it. Every cell gets a
//! thread and the result is right, but the next thread starts only when the
//! last one has ended: the waits never overlap, and the fan-out is serial.

use std::thread;

use bw56_life::{Grid, SimulationError};

use crate::scoped_fan_out::Step;

pub fn simulate_scoped(grid: &Grid, step: &Step) -> Result<Grid, SimulationError> {
    thread::scope(|s| {
        let mut states = Vec::new();
        for (y, x) in grid.positions() {
            let state = s
                .spawn(move || step(grid, y, x))
                .join()
                .expect("the cell's step does not panic")?;
            states.push(state);
        }
        Ok(Grid::from_states(grid.height(), grid.width(), states))
    })
}
