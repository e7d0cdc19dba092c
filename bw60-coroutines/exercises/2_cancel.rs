//! 연습 60.2 — 한 셀이 실패하면 나머지를 취소하기 / Exercise 60.2 — when one cell fails, cancel the rest
//!
//! `asyncio.gather` raises the first error and leaves the other tasks running.
//! Do better: return the first failure as soon as it happens, and only after
//! every other cell of the generation is gone.
//!
//! Run the checks: `cargo test -p bw60-coroutines --features exercises --test exercises exercise_60_2`

use bw56_life::{CellIo, Grid, SimulationError, Timer};

/// Computes the next generation of `grid`, one tokio task per cell (as in
/// exercise 60.1: `bw60_coroutines::async_neighbors::step_cell`, an `Arc` of
/// the grid, a clone of `io` and `timer` per task), but takes the results in
/// the order the cells *finish*, and stops at the first failure.
///
/// - Spawn the cells into a `tokio::task::JoinSet`, and take results with
///   `join_next` (or `join_next_with_id`). Results come in any order: let each
///   task return its cell's index too, and store its state there.
/// - At the first `Err`, return it at once — without waiting for cells that
///   are still doing I/O — but first cancel the others and wait until they
///   are gone: `JoinSet::shutdown().await`. Dropping a tokio `JoinHandle` does
///   not cancel its task, and dropping a `JoinSet` only asks its tasks to stop.
///
/// A panicking cell is not checked here (exercise 60.1 named it).
///
/// The checks run on a single-threaded runtime with tokio's clock paused, and
/// verify that:
/// - two generations equal the serial `bw56_life::simulate`, although cells
///   finish in the reverse of the order they were spawned;
/// - all 45 cells wait for their I/O at the same time;
/// - when one cell fails at once and the others wait an hour, the error names
///   that cell and comes back without any of that hour passing;
/// - when it comes back, no other cell is still waiting on its I/O.
pub async fn simulate<T>(timer: T, grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError>
where
    T: Timer + Clone + Send + Sync + 'static,
{
    todo!("exercise 60.2")
}
