//! Mistake: the book's order — every job in, then every answer out. It works
//! on Python's unbounded queues; on channels of one message the workers block
//! on answers nobody reads, and the coordinator on a job nobody takes.

use bw56_life::{Grid, count_neighbors};
use crossbeam_channel::{Receiver, Sender};

use crate::coordinator::{Done, Job};

pub fn simulate_pipeline(grid: &Grid, jobs_tx: &Sender<Job>, results_rx: &Receiver<Done>) -> Grid {
    for (y, x, state) in grid.cells() {
        let neighbors = count_neighbors(y, x, |y, x| grid.get(y, x));
        jobs_tx
            .send((y, x, state, neighbors))
            .expect("the workers are running");
    }
    let mut next = Grid::new(grid.height(), grid.width());
    for _ in 0..grid.len() {
        let (y, x, state) = results_rx.recv().expect("the workers are running");
        next.set(y, x, state);
    }
    next
}
