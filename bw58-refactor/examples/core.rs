//! Item 58: moving to queues means refactoring — and on bounded queues, the
//! coordinator must read results while it is still sending jobs.
//!
//! This program runs the book's glider through a fixed set of four
//! long-lived workers (`game_logic_thread`), each cell's `game_logic` doing
//! 10 ms of I/O. The coordinator (`simulate_pipeline`) fans
//! `(y, x, state, neighbors)` out and `(y, x, next_state)` in over channels
//! that hold one message each. It waits on whichever is possible, sending a
//! job or receiving a result, with crossbeam's `Select`.
//!
//! Run it: `cargo run -p bw58-refactor --example core`.
//! Break it: `cargo run -p bw58-refactor --example core -- --break` sends
//! every job before reading any result, as the book does with its unbounded
//! queues. The workers block on full result channels, the coordinator blocks
//! on a full job channel: a deadlock, caught by a watchdog after 1 s.

use std::io;
use std::thread;
use std::time::{Duration, Instant};

use bw56_life::{CellIo, Grid, State, count_neighbors, simulate};
use crossbeam_channel::{Receiver, Select, Sender, bounded};

const WORKERS: usize = 4;
// Try: a capacity of 64 — every job fits in the channels, so `--break`
// completes: the book's order works only while the queues are big enough.
const CAPACITY: usize = 1;
const LATENCY: Duration = Duration::from_millis(10);
const WATCHDOG: Duration = Duration::from_secs(1);
const GENERATIONS: usize = 4;

/// The book's `(y, x, state, neighbors)` and `(y, x, next_state)`; a failed
/// I/O travels back as a value, so the coordinator can name the cell.
type Job = (usize, usize, State, u8);
type Done = (usize, usize, io::Result<State>);

/// The book's `game_logic_thread`: lives across generations, runs
/// `game_logic` with its I/O for each job until the job channel closes.
fn game_logic_thread(io: CellIo, jobs_rx: Receiver<Job>, results_tx: Sender<Done>) {
    for (y, x, state, neighbors) in jobs_rx {
        let done = (y, x, io.game_logic(y, x, state, neighbors));
        if results_tx.send(done).is_err() {
            break; // Nobody reads results any more: the program is stopping.
        }
    }
}

/// The book's `simulate_pipeline`: one generation through the workers.
/// A stall longer than `WATCHDOG` returns (jobs sent, results read).
fn simulate_pipeline(
    grid: &Grid,
    jobs_tx: &Sender<Job>,
    results_rx: &Receiver<Done>,
    broken: bool,
) -> Result<Grid, (usize, usize)> {
    let neighbors = |y, x| count_neighbors(y, x, |y, x| grid.get(y, x));
    let mut jobs = grid
        .cells()
        .map(|(y, x, state)| (y, x, state, neighbors(y, x)));
    let (mut next, mut job, mut sent, mut read) = (grid.clone(), jobs.next(), 0, 0);
    while read < grid.len() {
        let mut select = Select::new();
        let send = job.as_ref().map(|_| select.send(jobs_tx));
        // The mistake: no result is read while any job is still unsent.
        if !broken || job.is_none() {
            select.recv(results_rx);
        }
        // The watchdog: no operation possible for that long means no progress.
        let operation = select.select_timeout(WATCHDOG).map_err(|_| (sent, read))?;
        if Some(operation.index()) == send {
            let message = job.take().expect("a send is offered only with a job");
            operation.send(jobs_tx, message).expect("workers are alive");
            (job, sent) = (jobs.next(), sent + 1);
        } else {
            let (y, x, state) = operation.recv(results_rx).expect("workers are alive");
            next.set(y, x, state.expect("the simulated I/O does not fail"));
            read += 1;
        }
    }
    Ok(next)
}

/// Runs the glider through the pipeline; returns the watchdog's finding
/// (jobs sent, results read), if it fired, and the verdict.
fn run(broken: bool) -> (Option<(usize, usize)>, String) {
    let ((jobs_tx, jobs_rx), (results_tx, results_rx)) = (bounded(CAPACITY), bounded(CAPACITY));
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (jobs_rx, results_tx) = (jobs_rx.clone(), results_tx.clone());
            thread::spawn(move || game_logic_thread(CellIo::new(LATENCY), jobs_rx, results_tx))
        })
        .collect();
    let started = Instant::now();
    let outcome = (1..=GENERATIONS).try_fold(Grid::glider(), |grid, generation| {
        let next = simulate_pipeline(&grid, &jobs_tx, &results_rx, broken)?;
        let expected = simulate(&grid, &CellIo::none()).expect("no I/O, no failure");
        assert_eq!(next, expected, "generation {generation} differs");
        println!("generation {generation} done at {:.1?}", started.elapsed());
        Ok(next)
    });
    // Closing both channels ends every worker, even one stuck in a send.
    drop((jobs_tx, jobs_rx, results_tx, results_rx));
    let joined = workers.into_iter().filter_map(|w| w.join().ok()).count();
    let (stuck, elapsed) = (outcome.err(), started.elapsed());
    let line = match stuck {
        None => format!(
            "ok: {GENERATIONS} generations equal serial; {elapsed:.1?}; {joined} workers joined"
        ),
        Some((sent, read)) => format!(
            "broken: deadlock — no progress for {WATCHDOG:?} with {sent} of 45 jobs sent and \
             {read} results read; {joined} workers joined after closing the channels"
        ),
    };
    (stuck, line)
}

fn main() {
    let (_, line) = run(std::env::args().any(|a| a == "--break"));
    println!("{line}");
}

#[cfg(test)]
mod tests {
    #[test]
    fn select_keeps_the_pipeline_moving() {
        let (stuck, line) = super::run(false);
        assert_eq!((stuck, line.starts_with("ok: ")), (None, true), "{line}");
    }

    #[test]
    fn sending_everything_first_deadlocks() {
        // The watchdog fired with no result read and some jobs never sent.
        let (stuck, line) = super::run(true);
        let deadlocked = matches!(stuck, Some((sent, 0)) if sent < 45);
        assert!(deadlocked && line.starts_with("broken: "), "{line}");
    }
}
