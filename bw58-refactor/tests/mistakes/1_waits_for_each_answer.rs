//! Mistake: send one job, wait for its answer, send the next. It cannot
//! deadlock, but only one worker is ever busy: the pipeline is serial again.

use bw56_life::{Grid, count_neighbors};
use crossbeam_channel::{Receiver, Sender};

use crate::coordinator::{Done, Job};

pub fn simulate_pipeline(grid: &Grid, jobs_tx: &Sender<Job>, results_rx: &Receiver<Done>) -> Grid {
    let mut next = Grid::new(grid.height(), grid.width());
    for (y, x, state) in grid.cells() {
        let neighbors = count_neighbors(y, x, |y, x| grid.get(y, x));
        jobs_tx
            .send((y, x, state, neighbors))
            .expect("the workers are running");
        let (y, x, state) = results_rx.recv().expect("the workers are running");
        next.set(y, x, state);
    }
    next
}
