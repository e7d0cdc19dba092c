//! Step 2 of the book: `count_neighbors` does I/O too, so it becomes a
//! coroutine — and the change stops at one `.await`.
//!
//! In item 58 the same change (I/O in `count_neighbors`) forced the queue
//! pipeline to grow a whole second phase of workers and channels. With
//! coroutines, [`CellIo::count_neighbors_async`] is awaited where
//! [`CellIo::count_neighbors`] was called, and nothing else moves: every
//! caller was already `async` after [step 1](crate::async_logic), so the
//! "async spreads up the call chain" cost had been paid.
//!
//! ```text
//! count_neighbors (async)  \
//!                           step_cell (async)  <-  simulate (async)  <-  block_on (sync)
//! game_logic      (async)  /
//! ```
//!
//! The rule the compiler enforces is the same one Python's has: `.await` is
//! only allowed in an `async` context. A synchronous `step_cell` cannot wait
//! for the async count:
//!
//! ```compile_fail,E0728
//! use bw56_life::{CellIo, Grid, Timer};
//!
//! // error[E0728]: `await` is only allowed inside `async` functions and blocks
//! fn step_cell(timer: &impl Timer, io: &CellIo, grid: &Grid, y: usize, x: usize) -> u8 {
//!     io.count_neighbors_async(timer, y, x, |y, x| grid.get(y, x)).await.unwrap()
//! }
//! ```
//!
//! and forgetting the `.await` does not silently skip the I/O, as calling a
//! coroutine function without `await` does in Python (a "coroutine was never
//! awaited" warning at best): the call returns a future, not a count, and
//! the types do not match.
//!
//! ```compile_fail,E0308
//! use bw56_life::{CellIo, Grid, Timer};
//!
//! // error[E0308]: mismatched types: expected `Result<u8, _>`, found a future
//! async fn step_cell(timer: &impl Timer, io: &CellIo, grid: &Grid) -> std::io::Result<u8> {
//!     let count: std::io::Result<u8> = io.count_neighbors_async(timer, 0, 0, |y, x| grid.get(y, x));
//!     count
//! }
//! ```

use bw56_life::{CellIo, SimulationError, State, Timer};

/// The book's second `async def step_cell`: both I/O calls are awaited.
///
/// Compared with [`async_logic::step_cell`](crate::async_logic::step_cell),
/// one line differs (marked `New:`).
pub async fn step_cell(
    timer: &impl Timer,
    io: &CellIo,
    y: usize,
    x: usize,
    get: impl Fn(isize, isize) -> State,
) -> Result<State, SimulationError> {
    let state = get(y as isize, x as isize);
    // New: the neighbour count waits on I/O, so it is awaited; while it
    // waits, the thread polls other cells instead of sleeping.
    let neighbors = io
        .count_neighbors_async(timer, y, x, &get)
        .await
        .map_err(|e| SimulationError::io(y, x, e))?;
    io.game_logic_async(timer, y, x, state, neighbors)
        .await
        .map_err(|e| SimulationError::io(y, x, e))
}
