//! The small real run the demo draws and the README pictures: one generation
//! of the glider on a pool of 4, a lane per worker thread.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use bw56_life::{CellIo, Grid};
use course_support::InFlight;
use course_support::timeline::{self, Drawing};

use crate::{Pool, simulate_pool};

/// Runs one generation of the glider (5 ms of I/O per cell) on a pool of 4
/// and draws its `job` spans: a row per worker thread, and the most jobs at
/// once on the timeline beside the most cells waiting at once on the gauge.
///
/// # Errors
///
/// If the pool's threads cannot start or a cell fails.
pub fn drawing() -> anyhow::Result<Drawing> {
    let workers = 4;
    let latency = Duration::from_millis(5);
    let pool = Pool::new(workers).context("starting the pool")?;
    let gauge = Arc::new(InFlight::new());
    let io = CellIo::new(latency).with_gauge(Arc::clone(&gauge));
    let grid = Grid::glider();
    let (next, recorded) = timeline::record(|| simulate_pool(&pool, &grid, &io));
    next.context("the drawn run failed")?;
    let jobs = recorded.named("job");
    let note = format!(
        "{} worker lanes; at most {} jobs at once on the timeline, {} cells waiting at once on the gauge",
        jobs.lanes().len(),
        jobs.peak_overlap(),
        gauge.peak()
    );
    Ok(Drawing::new(format!(
        "a pool of {workers}, one generation of the glider: {} cells, {} ms of I/O each",
        grid.len(),
        latency.as_millis()
    ))
    .run("a row per worker thread, a bar per job", jobs)
    .note(note))
}
