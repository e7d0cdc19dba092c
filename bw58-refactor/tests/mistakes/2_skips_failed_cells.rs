//! Mistake: only successful cells are answered, as if an error had nothing to
//! say. The coordinator counts answers, so it waits for the failed cell's
//! forever — and never learns which cell failed.

use std::panic::{self, AssertUnwindSafe};

use bw56_life::CellIo;
use crossbeam_channel::{Receiver, Sender};

use crate::worker::{Done, Job};

pub fn game_logic_thread(io: CellIo, jobs_rx: Receiver<Job>, results_tx: Sender<Done>) {
    for (y, x, state, neighbors) in jobs_rx {
        let result =
            panic::catch_unwind(AssertUnwindSafe(|| io.game_logic(y, x, state, neighbors)));
        if let Ok(Ok(next)) = result
            && results_tx.send((y, x, Ok(next))).is_err()
        {
            break;
        }
    }
}
