//! Mistake: `expect` on a cell's result. The failure no longer comes back as
//! a value the caller can handle: it unwinds the whole program, and the
//! strategies of the later lessons would lose a thread with it.

use bw56_life::{CellIo, Grid, SimulationError, step_cell};

pub fn simulate(grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError> {
    let mut next = Grid::new(grid.height(), grid.width());
    for (y, x) in grid.positions() {
        step_cell(io, y, x, |y, x| grid.get(y, x), |y, x, s| next.set(y, x, s))
            .expect("a cell does not fail");
    }
    Ok(next)
}
