//! 연습 59.2 — 풀에 펼치고 순서대로 모으기 / Exercise 59.2 — fan out on the pool, fan in in order
//!
//! The book's `simulate_pool`: one generation of the Game of Life, each cell
//! a job on a pool, the new grid assembled from the jobs' results.
//!
//! Run the checks: `cargo test -p bw59-threadpool --features exercises --test exercises exercise_59_2`

use bw56_life::{CellIo, Grid, SimulationError};
use bw59_threadpool::Pool;

/// Computes the next generation of `grid` on `pool`: submit one job per cell
/// (`pool.submit`, computing `bw56_life::next_state(&io, y, x, |y, x|
/// grid.get(y, x))`), then wait for every result (`handle.result()`), and build
/// the new grid from the states in row-major order (`Grid::from_states`).
///
/// A job runs on a pool thread after this call has moved on, so it must own
/// what it reads: share the grid through an `Arc` and clone the `CellIo`.
///
/// The checks verify that:
/// - four generations equal the serial `bw56_life::simulate`, cell for cell;
/// - cells wait for their I/O at the same time (more than one in flight);
/// - a failing cell's error comes back as the `Err`, naming that cell, and no
///   cell is still doing I/O when the call returns.
pub fn simulate_pool(pool: &Pool, grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError> {
    todo!()
}
