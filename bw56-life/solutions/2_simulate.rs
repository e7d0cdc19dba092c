//! Two grids, one read and one written: that separation is the fan-in
//! boundary every concurrent strategy keeps, and `?` hands the failing cell's
//! own error to the caller.

use bw56_life::{CellIo, Grid, SimulationError, step_cell};

/// The generation after `grid`, one cell after another.
pub fn simulate(grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError> {
    let mut next = Grid::new(grid.height(), grid.width());
    for (y, x) in grid.positions() {
        step_cell(io, y, x, |y, x| grid.get(y, x), |y, x, s| next.set(y, x, s))?;
    }
    Ok(next)
}
