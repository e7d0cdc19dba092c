//! 연습 58.2 — 오류는 값으로, 작업자는 살아남게 / Exercise 58.2 — errors travel back as values; the worker survives its cells
//!
//! The book's `game_logic_thread`: a long-lived worker that takes cells from
//! one channel and answers on another, for generation after generation. The
//! coordinator waits for one answer per cell, so a cell that fails must still
//! be answered — and a cell that panics must not end the worker.
//!
//! Run the checks: `cargo test -p bw58-refactor --features exercises --test exercises exercise_58_2`

use bw56_life::{CellError, CellIo, State};
use crossbeam_channel::{Receiver, Sender};

/// The book's `(y, x, state, neighbors)`: what a worker needs for one cell.
pub type Job = (usize, usize, State, u8);

/// The book's `(y, x, next_state)`, where the state may be the cell's failure.
pub type Done = (usize, usize, Result<State, CellError>);

/// Takes jobs from `jobs_rx` until the channel is closed and empty; for each,
/// runs `io.game_logic(y, x, state, neighbors)` (the cell's I/O and rule) and
/// sends exactly one `(y, x, result)` into `results_tx`. Returns when the job
/// channel is closed (or when nobody receives answers any more).
///
/// - An I/O error is an answer too: `Err(CellError::Io(error))`.
/// - A panic in `game_logic` must not end this thread: catch it
///   (`std::panic::catch_unwind`, with `std::panic::AssertUnwindSafe` around
///   the closure) and answer `Err(CellError::Panicked(message))`, the message
///   taken from the payload with `bw56_life::io::panic_message`.
///
/// The checks send the glider's 45 cells three times to one worker, once with
/// an I/O error injected at one cell and once with a panic, then close the
/// channel, and verify that:
/// - every job gets exactly one answer, the failing cell's included;
/// - the failing cell's answer is its error (`Io`, or `Panicked` with the
///   panic's message), every other cell's its next state;
/// - the worker survives the panics and returns once the channel is closed.
pub fn game_logic_thread(io: CellIo, jobs_rx: Receiver<Job>, results_tx: Sender<Done>) {
    todo!("exercise 58.2")
}
