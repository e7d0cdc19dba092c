//! 연습 58.1 — 용량 1 채널에서 교착 없는 코디네이터 / Exercise 58.1 — a coordinator that cannot deadlock on capacity-1 channels
//!
//! The book's `simulate_pipeline`: the coordinator of one generation. It sends
//! every cell to long-lived `game_logic` workers through one channel and
//! collects their answers from another. Both channels hold one message, so the
//! book's order — put every job in, then read the results — gets stuck.
//!
//! Run the checks: `cargo test -p bw58-refactor --features exercises --test exercises exercise_58_1`

use bw56_life::{Grid, State};
use crossbeam_channel::{Receiver, Sender};

/// The book's `(y, x, state, neighbors)`: what a worker needs for one cell.
pub type Job = (usize, usize, State, u8);

/// The book's `(y, x, next_state)`: a worker's answer for one cell.
pub type Done = (usize, usize, State);

/// Computes the next generation of `grid` through the workers: send one job
/// per cell into `jobs_tx` (its neighbours counted here with
/// `bw56_life::count_neighbors(y, x, |y, x| grid.get(y, x))`), take one
/// answer per cell from `results_rx`, and build the new grid from them.
///
/// The workers are already running and serve every generation; do not close
/// the channels. Answers come back in any order: place each by its `(y, x)`
/// (`Grid::new` then `set`).
///
/// Both channels hold a single message, so a send blocks until a worker takes
/// the job, and a worker blocks on its answer until you take it. Never wait on
/// a send alone: wait on the send *or* a receive, and do whichever is ready —
/// `crossbeam_channel::Select` (`select.send(jobs_tx)`, `select.recv(results_rx)`,
/// `select.select()`, then `operation.send(...)` or `operation.recv(...)`).
///
/// The checks run four generations of the glider through 4 workers and
/// verify that:
/// - the coordinator never stops making progress (a deadlock is reported
///   after 3 s without any job taken or answer given, not waited for);
/// - all 4 workers are busy at once (the jobs are not sent one at a time);
/// - every cell is sent exactly once per generation;
/// - every generation equals the serial `bw56_life::simulate`.
pub fn simulate_pipeline(grid: &Grid, jobs_tx: &Sender<Job>, results_rx: &Receiver<Done>) -> Grid {
    todo!("exercise 58.1")
}
