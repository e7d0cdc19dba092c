//! 연습 57.1 — 셀마다 스코프 스레드로 펼치고 모두 모으기 / Exercise 57.1 — a scoped thread per cell, fanned out and fanned in
//!
//! Item 57's fan-out on demand, the Rust way: a new thread for every cell,
//! started inside `std::thread::scope`, so the threads may borrow the grid and
//! hand their cell back through `join`. No lock, no `Arc`.
//!
//! Run the checks: `cargo test -p bw57-fanout --features exercises --test exercises exercise_57_1`

use bw56_life::{Grid, SimulationError, State};

/// The work of one cell: the next state of cell `(y, x)` of the grid given,
/// or the error that names the cell. In the lesson it is
/// `|grid, y, x| next_state(io, y, x, |y, x| grid.get(y, x))`; the checks pass
/// one that also watches how many cells run at once.
pub type Step = dyn Fn(&Grid, usize, usize) -> Result<State, SimulationError> + Sync;

/// The generation after `grid`, with a new thread for every cell:
///
/// - fan out: inside `std::thread::scope`, spawn one thread per cell
///   (`grid.positions()`), each returning `step(grid, y, x)`. The threads
///   borrow `grid` and `step`; the scope guarantees they end before it does;
/// - fan in: join the handles in row-major order and build the new grid from
///   their states (`Grid::from_states(height, width, states)`);
/// - if cells fail, return the first error in row-major order as the `Err`.
///
/// Hint: start every thread before joining any. A handle joined right after
/// its spawn makes the next cell wait for this one: the fan-out is serial
/// again.
///
/// The checks verify that:
/// - on a 4×5 grid, all 20 cells run at once;
/// - three generations equal the serial `bw56_life::simulate`, every cell
///   computed exactly once per generation, none still running on return;
/// - when cell (2, 3) fails, the `Err` names (2, 3).
pub fn simulate_scoped(grid: &Grid, step: &Step) -> Result<Grid, SimulationError> {
    todo!("exercise 57.1")
}
