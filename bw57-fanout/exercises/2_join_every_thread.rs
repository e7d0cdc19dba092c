//! 연습 57.2 — 패닉한 셀 스레드를 오류로, 나머지도 모두 join하기 / Exercise 57.2 — a panicking cell thread becomes an error, and every thread is still joined
//!
//! The book's version: `std::thread::spawn` per cell. Such a thread may
//! outlive the call that started it, so nothing ends it for you, and its
//! failure reaches no one unless its handle is joined and looked at — in
//! Python an exception in a thread is printed and the program carries on.
//!
//! Run the checks: `cargo test -p bw57-fanout --features exercises --test exercises exercise_57_2`

use std::sync::Arc;

use bw56_life::{Grid, SimulationError, State};

/// The work of one cell, shareable with threads that own what they use.
pub type Step = dyn Fn(&Grid, usize, usize) -> Result<State, SimulationError> + Send + Sync;

/// The generation after `grid`, with one `std::thread::spawn` per cell, each
/// returning `step(&grid, y, x)`. `spawn` needs a `'static` closure, so each
/// thread gets its own clone of both `Arc`s.
///
/// Then join every handle, in row-major order:
/// - `join()` returns `Err(payload)` when the thread panicked: turn it into
///   `SimulationError::panicked(y, x, payload)` — only you know which cell
///   that thread was computing;
/// - `Ok(Err(error))` is the cell's own error, already naming it;
/// - keep joining after a failure, so that no thread is left running when
///   you return; then return the first error.
///
/// Hint: `?` inside the joining loop returns at the first failure, and the
/// threads not yet joined are simply left behind, still running.
///
/// The checks verify that:
/// - on a 4×5 grid, the result equals the serial `bw56_life::simulate`;
/// - when the step of cell (2, 3) panics, the `Err` names (2, 3) and keeps
///   the panic's message, and every other cell's thread has finished when
///   the call returns (the cells after (2, 3) are held back a while);
/// - when cell (1, 1) fails with an error, the `Err` names (1, 1).
pub fn simulate_threaded(grid: Arc<Grid>, step: Arc<Step>) -> Result<Grid, SimulationError> {
    todo!("exercise 57.2")
}
