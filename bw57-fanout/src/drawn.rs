//! The small real runs the demo draws and the README pictures: one
//! generation of eight cells, serially and with a thread per cell, on one
//! time axis.

use std::time::Duration;

use anyhow::{Context, ensure};
use bw56_life::cli::fmt_latency;
use bw56_life::{CellIo, Grid, Serial, Strategy};
use course_support::timeline::{self, Drawing};

use crate::ThreadPerCell;

/// Runs one generation of a 2×4 grid (5 ms of I/O per cell) serially and
/// with a thread per cell, and draws both runs' `cell io` spans on one time
/// axis: serial waits one after another on a single lane, the threads' waits
/// side by side on a lane per cell. The note counts the lanes and the most
/// waits at once from the recorded spans.
///
/// # Errors
///
/// If a run fails or the two runs disagree.
pub fn drawing() -> anyhow::Result<Drawing> {
    let grid = Grid::soup(2, 4, 7);
    let latency = Duration::from_millis(5);
    let io = CellIo::new(latency);
    let (serial, serial_run) = timeline::record(|| Serial.step(&grid, &io));
    let (threads, threads_run) = timeline::record(|| ThreadPerCell::default().step(&grid, &io));
    ensure!(
        serial.context("the small serial run failed")?
            == threads.context("the small thread-per-cell run failed")?,
        "the small runs disagree"
    );
    let (serial_waits, thread_waits) = (serial_run.named("cell io"), threads_run.named("cell io"));
    let note = format!(
        "serial: {} lane, {} wait at a time; thread per cell: {} lanes, {} waits at once",
        serial_waits.lanes().len(),
        serial_waits.peak_overlap(),
        thread_waits.lanes().len(),
        thread_waits.peak_overlap()
    );
    Ok(Drawing::new(format!(
        "one generation of {} cells ({} of I/O each), drawn from the cells' waits:",
        grid.len(),
        fmt_latency(latency)
    ))
    .run(
        "serial: one lane, the waits one after another",
        serial_waits,
    )
    .run(
        "thread per cell: a lane per cell, the waits side by side",
        thread_waits,
    )
    .note(note))
}
