//! A worker that lives across generations must answer every job it takes, so
//! both kinds of failure become values: the I/O error as it is, a panic caught
//! at the cell and turned into its message.

use std::panic::{self, AssertUnwindSafe};

use bw56_life::io::panic_message;
use bw56_life::{CellError, CellIo, State};
use crossbeam_channel::{Receiver, Sender};

/// The book's `(y, x, state, neighbors)`: what a worker needs for one cell.
pub type Job = (usize, usize, State, u8);

/// The book's `(y, x, next_state)`, where the state may be the cell's failure.
pub type Done = (usize, usize, Result<State, CellError>);

/// Answers every job from `jobs_rx` on `results_tx` until the jobs end.
pub fn game_logic_thread(io: CellIo, jobs_rx: Receiver<Job>, results_tx: Sender<Done>) {
    // The iterator ends when every sender is gone and the queue is empty.
    for (y, x, state, neighbors) in jobs_rx {
        // AssertUnwindSafe: after a panic nothing the closure touched is used
        // again; the job is answered with the panic's message and forgotten.
        let result =
            match panic::catch_unwind(AssertUnwindSafe(|| io.game_logic(y, x, state, neighbors))) {
                Ok(Ok(next)) => Ok(next),
                Ok(Err(error)) => Err(CellError::Io(error)),
                Err(payload) => Err(CellError::Panicked(panic_message(payload.as_ref()))),
            };
        if results_tx.send((y, x, result)).is_err() {
            // Nobody collects answers any more: the pipeline is shutting down.
            break;
        }
    }
}
