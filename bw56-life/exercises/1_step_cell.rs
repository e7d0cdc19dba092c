//! 연습 56.1 — 가짜 get/set으로 셀 하나 계산하기 / Exercise 56.1 — one cell through `get` and `set`
//!
//! The book's `step_cell(y, x, get, set)`: the unit of work that every later
//! lesson fans out — to a thread, a pool job, a coroutine. It reaches the grid
//! only through the two functions it is given, so it can be tested with fakes
//! and run against a locked grid without changing a line.
//!
//! Run the checks: `cargo test -p bw56-life --features exercises --test exercises exercise_56_1`

use bw56_life::{CellIo, SimulationError, State};

/// Computes cell `(y, x)` of the next generation and hands it to `set`:
///
/// 1. read the cell with `get` and count its live neighbours, the eight
///    cells around it (rows `y - 1 ..= y + 1`, columns `x - 1 ..= x + 1`,
///    without the cell itself). `get` takes signed coordinates and wraps
///    them at the edges, so the row above row 0 is `-1`;
/// 2. apply the rules with the cell's I/O: `io.game_logic(y, x, state,
///    neighbors)` waits for the I/O and returns the new state, or the
///    `io::Error` that ends this cell;
/// 3. on success call `set(y, x, new_state)`, once. On failure write nothing
///    and return `SimulationError::io(y, x, error)`: the error names the
///    cell, with the I/O error as its source.
///
/// Write the counting yourself: `bw56_life::step_cell`, `next_state` and
/// `count_neighbors` are this answer.
///
/// Hint: `y` and `x` are `usize`; `y - 1` underflows at row 0. Convert first
/// (`y as isize - 1`).
///
/// The checks call your function with fakes — a `get` that records every
/// position asked for, a `set` that records every call; no grid at all — and
/// verify that:
/// - for all 512 neighbourhoods of a cell, the state set is Conway's rule;
/// - the cell reads exactly itself and its eight neighbours, also at row 0
///   and column 0, and writes only itself, once;
/// - when the cell's I/O fails, the error names the cell and carries the I/O
///   error, and nothing is written.
pub fn step_cell(
    io: &CellIo,
    y: usize,
    x: usize,
    get: impl Fn(isize, isize) -> State,
    set: impl FnOnce(usize, usize, State),
) -> Result<(), SimulationError> {
    todo!("exercise 56.1")
}
