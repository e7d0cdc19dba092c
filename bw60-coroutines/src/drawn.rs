//! The small real run the demo draws and the README pictures: eight cells
//! whose I/O waits on item 59's pool of two threads, then the same eight as
//! futures on one thread.
//!
//! Both runs are recorded from the `cell io` span every wait opens (in
//! `bw56_life::CellIo`). On the pool a wait's lane is the worker thread that
//! blocks in it, so the chart has a row per thread. On the current-thread
//! runtime every wait is begun by the one thread that polls the cells; drawn
//! by thread, that would be a single row, busy throughout, hiding how many
//! waits it holds. So the async run is drawn with a row per wait instead,
//! in the order the waits began, and the number of threads is measured from
//! the lanes as recorded and printed in the note.

use std::time::Duration;

use anyhow::{Context, ensure};
use bw56_life::{CellIo, Grid, Serial, Strategy};
use bw59_threadpool::PoolStrategy;
use course_support::timeline::{self, Drawing, Interval, Timeline};

use crate::{AsyncStrategy, Tokio};

/// The drawn grid: 2×4, so each run has at most eight rows.
const HEIGHT: usize = 2;
const WIDTH: usize = 4;
/// Workers of the "before" pool: fewer than the cells, so they queue.
const POOL_WORKERS: usize = 2;
/// Long enough that the waits, not the bookkeeping around them, fill the chart.
const LATENCY: Duration = Duration::from_millis(10);

/// One generation's cell waits, as recorded and as drawn.
#[derive(Debug)]
pub struct DrawnRun {
    /// The `cell io` spans, each on the lane of the thread that began it.
    pub waits: Timeline,
    /// How many distinct threads began a wait.
    pub threads: usize,
}

/// Runs one generation of `strategy` on the drawn grid, checks it against
/// the rules, and returns its cells' waits.
///
/// # Errors
///
/// If a cell fails or the grid differs from the serial one.
pub fn record_waits(strategy: &mut dyn Strategy) -> anyhow::Result<DrawnRun> {
    let grid = Grid::soup(HEIGHT, WIDTH, 60);
    let io = CellIo::new(LATENCY);
    let expected = Serial.step(&grid, &CellIo::none())?;
    let (next, recorded) = timeline::record(|| strategy.step(&grid, &io));
    let next = next.with_context(|| format!("the drawn {} run failed", strategy.name()))?;
    ensure!(
        next == expected,
        "{} computed a wrong grid in the drawn run",
        strategy.name()
    );
    let waits = recorded.named("cell io");
    ensure!(
        waits.intervals().len() == grid.len(),
        "{}: {} cell waits recorded for {} cells",
        strategy.name(),
        waits.intervals().len(),
        grid.len()
    );
    let threads = waits.lanes().len();
    Ok(DrawnRun { waits, threads })
}

/// The same intervals, each on a row of its own (`wait 1`, `wait 2`... in the
/// order they began): a chart of how many were open at once, whichever
/// thread held them.
pub fn row_per_wait(waits: &Timeline) -> Timeline {
    Timeline::new(
        waits
            .intervals()
            .iter()
            .enumerate()
            .map(|(n, interval)| Interval {
                lane: format!("wait {}", n + 1),
                ..interval.clone()
            })
            .collect(),
    )
}

/// Eight cells' I/O on a pool of two threads (item 59), then as eight
/// futures on tokio's current-thread runtime: every wait at once, on one
/// thread.
///
/// # Errors
///
/// If a runtime or the pool cannot start, or a run goes wrong.
pub fn drawing() -> anyhow::Result<Drawing> {
    let mut pool = PoolStrategy::new(POOL_WORKERS).context("starting the pool")?;
    let before = record_waits(&mut pool)?;
    drop(pool);
    let mut futures =
        AsyncStrategy::new(Tokio::current_thread().context("starting tokio's runtime")?);
    let after = record_waits(&mut futures)?;
    let note = format!(
        "the pool: at most {} waits at once, on {} threads; the futures: {} waits at once, on {} \
         thread{}. A waiting future holds no thread, so one thread keeps every wait in flight.",
        before.waits.peak_overlap(),
        before.threads,
        after.waits.peak_overlap(),
        after.threads,
        if after.threads == 1 { "" } else { "s" }
    );
    Ok(Drawing::new(format!(
        "{} cells, {} ms of I/O each: {POOL_WORKERS} pool threads, then a future per cell",
        HEIGHT * WIDTH,
        LATENCY.as_millis()
    ))
    .run(
        "before: item 59's pool, a row per worker thread, a bar while it waits",
        before.waits,
    )
    .run(
        "after: tokio's current-thread runtime, a row per cell's wait",
        row_per_wait(&after.waits),
    )
    .note(note))
}
