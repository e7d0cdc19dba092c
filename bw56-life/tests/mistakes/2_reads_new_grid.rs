//! Mistake: updating the grid in place — `get` reads the grid `set` writes.
//! The cells computed later see some neighbours that are already one
//! generation ahead, and the glider breaks after one step.

use bw56_life::{CellIo, Grid, SimulationError, next_state};

pub fn simulate(grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError> {
    let mut next = grid.clone();
    for (y, x) in grid.positions() {
        let state = next_state(io, y, x, |y, x| next.get(y, x))?;
        next.set(y, x, state);
    }
    Ok(next)
}
