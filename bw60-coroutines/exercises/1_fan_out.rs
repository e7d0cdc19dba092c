//! 연습 60.1 — 셀마다 태스크 하나, 모두 기다리기 / Exercise 60.1 — a task per cell, then wait for them all
//!
//! The book's `async def simulate`: every cell becomes a coroutine and
//! `asyncio.gather` waits for all of them, so every cell waits for its I/O at
//! the same time. Here each cell is a tokio task.
//!
//! Run the checks: `cargo test -p bw60-coroutines --features exercises --test exercises exercise_60_1`

use bw56_life::{CellIo, Grid, SimulationError, Timer};

/// Computes the next generation of `grid`, one tokio task per cell.
///
/// 1. For every cell, `tokio::spawn` a task that runs the book's async
///    `step_cell`: `bw60_coroutines::async_neighbors::step_cell(&timer, &io,
///    y, x, |y, x| grid.get(y, x)).await`. A task may outlive this call as far
///    as the compiler knows, so it must own what it uses (`'static`): share the
///    grid through an `Arc`, and give each task its own clone of `io` and
///    `timer`.
/// 2. Only after every task is spawned, await the handles, in the order the
///    cells were spawned (row-major), and build the grid with
///    `Grid::from_states`.
/// 3. A cell's `Err` is the generation's error. A cell that panics makes its
///    handle's `.await` return a `JoinError`: turn it into
///    `SimulationError::panicked(y, x, error.into_panic())`, naming the cell.
///
/// The checks run on a single-threaded runtime, as asyncio does, with tokio's
/// clock paused (no real waiting), and verify that:
/// - four generations equal the serial `bw56_life::simulate`;
/// - all 45 cells of the glider wait for their I/O at the same time;
/// - a cell's I/O error comes back as the `Err`, naming that cell;
/// - a cell's panic comes back as an `Err` naming that cell, not as a panic.
pub async fn simulate<T>(timer: T, grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError>
where
    T: Timer + Clone + Send + Sync + 'static,
{
    todo!("exercise 60.1")
}
