//! The Game of Life made CPU-bound (no I/O) and computed in parallel with
//! rayon: one task per row, each writing its own row of the new grid.

use std::io;

use bw56_life::{CellIo, Grid, SimulationError, State, Strategy, next_state};
use rayon::prelude::*;

/// One generation with the rows spread over a rayon pool.
///
/// The old grid is shared read-only by every task, and `par_chunks_mut`
/// hands each task a *disjoint* `&mut` row of the new grid, so there is no
/// lock and no copying: the borrow checker knows the rows cannot overlap.
#[derive(Debug)]
pub struct RayonLife {
    pool: rayon::ThreadPool,
}

impl RayonLife {
    /// A strategy on a rayon pool of `threads` threads.
    pub fn new(threads: usize) -> io::Result<Self> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(io::Error::other)?;
        Ok(Self { pool })
    }
}

impl Strategy for RayonLife {
    fn name(&self) -> String {
        format!("rayon({})", self.pool.current_num_threads())
    }

    fn step(&mut self, grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError> {
        let width = grid.width();
        let mut states = vec![State::Empty; grid.len()];
        self.pool.install(|| {
            states
                .par_chunks_mut(width)
                .enumerate()
                .try_for_each(|(y, row)| {
                    for (x, cell) in row.iter_mut().enumerate() {
                        *cell = next_state(io, y, x, |y, x| grid.get(y, x))?;
                    }
                    Ok(())
                })
        })?;
        Ok(Grid::from_states(grid.height(), width, states))
    }
}
