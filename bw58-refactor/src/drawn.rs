//! The small real runs the demo draws and the README pictures: one
//! generation of the glider with a thread per cell (item 57) and on a
//! pipeline of 4 workers, on one time axis.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, ensure};
use bw56_life::cli::fmt_latency;
use bw56_life::{CellIo, Grid, Strategy};
use bw57_fanout::ThreadPerCell;
use course_support::InFlight;
use course_support::timeline::{self, Drawing};

use crate::Pipeline;

/// Runs one generation of the glider (5 ms of I/O per cell) with a thread
/// per cell and then on [`Pipeline::new(4)`](Pipeline::new), and draws both
/// runs' `cell io` spans on one time axis: a lane per cell before, a lane per
/// worker after. The note counts, for each run, the lanes and the most waits
/// at once on the timeline, and for the pipeline also the most waits at once
/// on an [`InFlight`] gauge counting the same waits.
///
/// # Errors
///
/// If the pipeline's threads cannot start, a run fails, or the two runs
/// disagree.
pub fn drawing() -> anyhow::Result<Drawing> {
    let workers = 4;
    let latency = Duration::from_millis(5);
    let grid = Grid::glider();
    let (threads, threads_run) =
        timeline::record(|| ThreadPerCell::default().step(&grid, &CellIo::new(latency)));
    // Started outside the recording: only the generation is drawn.
    let mut pipeline =
        Pipeline::try_with_capacity(workers, workers).context("starting the pipeline")?;
    let gauge = Arc::new(InFlight::new());
    let io = CellIo::new(latency).with_gauge(Arc::clone(&gauge));
    let (piped, piped_run) = timeline::record(|| pipeline.step(&grid, &io));
    ensure!(
        threads.context("the small thread-per-cell run failed")?
            == piped.context("the small pipeline run failed")?,
        "the small runs disagree"
    );
    let (thread_waits, worker_waits) = (threads_run.named("cell io"), piped_run.named("cell io"));
    let note = format!(
        "thread per cell: {} lanes, {} waits at once; pipeline({workers}): {} worker lanes, \
         at most {} waits at once on the timeline, {} on the gauge",
        thread_waits.lanes().len(),
        thread_waits.peak_overlap(),
        worker_waits.lanes().len(),
        worker_waits.peak_overlap(),
        gauge.peak()
    );
    Ok(Drawing::new(format!(
        "one generation of the glider: {} cells, {} of I/O each, drawn from the cells' waits",
        grid.len(),
        fmt_latency(latency)
    ))
    .run(
        "thread per cell (item 57): a lane per cell, the waits side by side",
        thread_waits,
    )
    .run(
        format!("pipeline({workers}): a lane per worker, at most {workers} waits at a time"),
        worker_waits,
    )
    .note(note))
}
