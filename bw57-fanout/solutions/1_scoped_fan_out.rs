//! Spawn every cell's thread before joining any, so the cells overlap; join
//! them in the order they were spawned, so the states come back in row-major
//! order; and let the scope, not a lock, guarantee every thread has ended.

use std::thread;

use bw56_life::{Grid, SimulationError, State};

/// The work of one cell: the next state of cell `(y, x)` of the grid given,
/// or the error that names the cell.
pub type Step = dyn Fn(&Grid, usize, usize) -> Result<State, SimulationError> + Sync;

/// The generation after `grid`, a scoped thread per cell.
pub fn simulate_scoped(grid: &Grid, step: &Step) -> Result<Grid, SimulationError> {
    thread::scope(|s| {
        let cells: Vec<_> = grid
            .positions()
            .map(|(y, x)| (y, x, s.spawn(move || step(grid, y, x))))
            .collect();
        let mut states = Vec::with_capacity(cells.len());
        for (y, x, cell) in cells {
            let result = cell
                .join()
                .unwrap_or_else(|payload| Err(SimulationError::panicked(y, x, payload)));
            // An error returns at once: the scope still joins every other
            // thread before `simulate_scoped` returns.
            states.push(result?);
        }
        Ok(Grid::from_states(grid.height(), grid.width(), states))
    })
}
