//! Mistake: I/O errors are sent back, but a panic in a cell unwinds out of the
//! worker and ends its thread. Every job after it goes unanswered, and the
//! coordinator waits for those answers forever.

use bw56_life::{CellError, CellIo};
use crossbeam_channel::{Receiver, Sender};

use crate::worker::{Done, Job};

pub fn game_logic_thread(io: CellIo, jobs_rx: Receiver<Job>, results_tx: Sender<Done>) {
    for (y, x, state, neighbors) in jobs_rx {
        let result = io.game_logic(y, x, state, neighbors).map_err(CellError::Io);
        if results_tx.send((y, x, result)).is_err() {
            break;
        }
    }
}
