//! Item 59: when threads are needed for blocking I/O, reuse a fixed pool of
//! them instead of starting one per task (`ThreadPoolExecutor`).
//!
//! This program runs the book's glider for a few generations, each cell
//! waiting 10 ms of real I/O, as the book's `simulate_pool`: submit a job per
//! cell to a pool of 10 threads, then collect every result in order. The
//! waits overlap ten at a time, so a generation costs `ceil(45 / 10) × 10 ms`.
//!
//! Run it: `cargo run -p bw59-threadpool --example core`.
//! Break it: `cargo run -p bw59-threadpool --example core -- --break` runs
//! the same code on a pool of one: nothing overlaps any more, and the run
//! takes about ten times as long.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::{Duration, Instant};

use bw56_life::{CellIo, Grid, SimulationError, next_state, simulate};
use bw59_threadpool::Pool;

const LATENCY: Duration = Duration::from_millis(10);
const GENERATIONS: usize = 4;

/// How many cells are waiting on their I/O right now, and the most at once.
#[derive(Default)]
struct InFlight {
    now: AtomicUsize,
    peak: AtomicUsize,
}

/// The book's `simulate_pool`: fan out one job per cell, then fan in.
fn simulate_pool(
    pool: &Pool,
    grid: &Grid,
    io: &CellIo,
    in_flight: &Arc<InFlight>,
) -> Result<Grid, SimulationError> {
    // A job outlives this call on a pool thread, so it must own what it
    // reads: one shared copy of the grid per generation.
    let grid = Arc::new(grid.clone());
    let handles: Vec<_> = grid
        .positions()
        .map(|(y, x)| {
            let (grid, io, in_flight) = (Arc::clone(&grid), io.clone(), Arc::clone(in_flight));
            // Try: append `.result()` here, waiting for each job right after
            // submitting it — the peak drops to 1, exactly as with a pool of one.
            pool.submit(move || {
                let now = in_flight.now.fetch_add(1, SeqCst) + 1;
                in_flight.peak.fetch_max(now, SeqCst);
                let state = next_state(&io, y, x, |y, x| grid.get(y, x));
                in_flight.now.fetch_sub(1, SeqCst);
                state
            })
        })
        .collect();
    // Waiting in submission order keeps the cells in row-major order.
    let states = handles
        .into_iter()
        .map(|handle| handle.result().expect("the rules do not panic"))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Grid::from_states(grid.height(), grid.width(), states))
}

/// Runs the glider on a pool; returns the peak of cells in flight and the
/// verdict line.
fn run(broken: bool) -> (usize, String) {
    // Try: 45 workers — one round of waits per generation, 10 ms each.
    let workers = if broken { 1 } else { 10 }; // The mistake: a pool of one.
    let pool = Pool::new(workers).expect("the system starts a few threads");
    let (io, in_flight) = (CellIo::new(LATENCY), Arc::new(InFlight::default()));
    let (mut grid, mut expected) = (Grid::glider(), Grid::glider());
    let started = Instant::now();
    for generation in 1..=GENERATIONS {
        grid = simulate_pool(&pool, &grid, &io, &in_flight).expect("no cell fails");
        expected = simulate(&expected, &CellIo::none()).expect("no I/O, no failure");
        assert_eq!(grid, expected, "generation {generation} differs");
        println!("generation {generation} done at {:.1?}", started.elapsed());
    }
    let elapsed = started.elapsed().as_secs_f64();
    let peak = in_flight.peak.load(SeqCst);
    // A pool of 10's limit: every generation the cells wait in rounds of 10.
    let limit = (grid.len().div_ceil(10) * GENERATIONS) as f64 * LATENCY.as_secs_f64();
    let line = if peak > 1 {
        format!(
            "ok: {GENERATIONS} generations equal serial; up to {peak} of {} cells waited at once; \
             {elapsed:.2} s against the limit {limit:.2} s",
            grid.len()
        )
    } else {
        format!(
            "broken: a pool of {workers} ran {peak} cell at a time; {elapsed:.2} s, \
             {:.1}x the limit {limit:.2} s of a pool of 10",
            elapsed / limit
        )
    };
    (peak, line)
}

fn main() {
    let (_, line) = run(std::env::args().any(|a| a == "--break"));
    println!("{line}");
}

#[cfg(test)]
mod tests {
    use super::run;

    #[test]
    fn a_pool_of_ten_overlaps_the_waits() {
        let (peak, line) = run(false);
        assert!(line.starts_with("ok: "), "{line}");
        assert!(
            (2..=10).contains(&peak),
            "a pool of 10 ran {peak} cells at once: {line}"
        );
    }

    #[test]
    fn a_pool_of_one_runs_one_cell_at_a_time() {
        let (peak, line) = run(true);
        assert!(line.starts_with("broken: "), "{line}");
        assert_eq!(
            peak, 1,
            "a pool of one must never run two cells at once: {line}"
        );
    }
}
