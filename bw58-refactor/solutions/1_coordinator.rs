//! The coordinator waits on a send *or* a receive and does whichever is ready,
//! so answers keep draining while jobs wait for room: no order of blocking
//! operations can leave both sides waiting for each other.

use bw56_life::{Grid, State, count_neighbors};
use crossbeam_channel::{Receiver, Select, Sender};

/// The book's `(y, x, state, neighbors)`: what a worker needs for one cell.
pub type Job = (usize, usize, State, u8);

/// The book's `(y, x, next_state)`: a worker's answer for one cell.
pub type Done = (usize, usize, State);

/// The next generation of `grid`, every cell through the workers.
pub fn simulate_pipeline(grid: &Grid, jobs_tx: &Sender<Job>, results_rx: &Receiver<Done>) -> Grid {
    let mut jobs = grid.cells().map(|(y, x, state)| {
        let neighbors = count_neighbors(y, x, |y, x| grid.get(y, x));
        (y, x, state, neighbors)
    });
    let mut next = Grid::new(grid.height(), grid.width());
    let (mut pending, mut received) = (jobs.next(), 0);
    while received < grid.len() {
        let mut select = Select::new();
        // Offer the send only while a job is waiting to go.
        let send = pending.as_ref().map(|_| select.send(jobs_tx));
        select.recv(results_rx);
        let operation = select.select();
        if Some(operation.index()) == send {
            let job = pending.take().expect("a send is offered only with a job");
            operation
                .send(jobs_tx, job)
                .expect("the workers outlive the generation");
            pending = jobs.next();
        } else {
            let (y, x, state) = operation
                .recv(results_rx)
                .expect("the workers outlive the generation");
            next.set(y, x, state);
            received += 1;
        }
    }
    next
}
