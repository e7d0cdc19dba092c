//! 연습 56.2 — 이전 세대만 읽는 한 세대 / Exercise 56.2 — a generation that reads only the last one
//!
//! The book's `simulate(grid)`: one generation, one cell after another. Its
//! contract is what lets every later lesson run the cells at once: each cell
//! reads only the *current* generation and writes only its own cell of the
//! *next*, so no cell depends on another cell of the same generation — and
//! a cell that fails stops the generation with an error naming it.
//!
//! Run the checks: `cargo test -p bw56-life --features exercises --test exercises exercise_56_2`

use bw56_life::{CellIo, Grid, SimulationError};

/// The generation after `grid`, computed serially: for every cell, in
/// row-major order (`grid.positions()`), call `bw56_life::step_cell(io, y, x,
/// get, set)`, where `get` reads `grid` (`grid.get(y, x)` wraps at the edges)
/// and `set` writes into a new grid of the same size (`Grid::new`).
///
/// If a cell fails, return its `SimulationError` as the `Err`, right away: it
/// already names the cell. Never panic on it.
///
/// Hint: a cell must see its neighbours as they were when the generation
/// began. If `get` reads the grid that `set` is writing, the cells computed
/// later see some neighbours one generation ahead.
///
/// The checks verify that:
/// - five generations of the book's glider, and of a seeded soup, equal the
///   reference, cell for cell;
/// - with cell (2, 3)'s I/O failing, the `Err` names (2, 3) and carries the
///   I/O error, and the call does not panic.
pub fn simulate(grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError> {
    todo!("exercise 56.2")
}
