//! The small real run the demo draws and the README pictures: the same five
//! short blocking receives made one after another, then from a thread each.

use std::hint::black_box;
use std::time::Duration;

use anyhow::Context;
use course_support::fmt_duration;
use course_support::timeline::{self, Drawing};

use crate::{compute_helicopter_location, run_serial, run_threaded, slow_systemcall};

/// As many calls as the book makes.
const CALLS: usize = 5;
/// Short, so both runs together take a third of a second, yet long enough
/// that five threads start well within one wait.
const TIMEOUT: Duration = Duration::from_millis(100);

/// Makes five blocking receives with a 50 ms timeout serially, then from five
/// threads while the calling thread computes helicopter locations, and draws
/// their `blocking receive` spans on one time axis: one lane busy five times
/// in a row, against five lanes busy side by side.
///
/// The serial run's lane is the calling thread's name (`main` in the demo);
/// the threads are `thread 0` to `thread 4`.
///
/// # Errors
///
/// If a call fails (no loopback connection, too many open files) or a thread
/// cannot be started.
pub fn drawing() -> anyhow::Result<Drawing> {
    let call = |index: usize| {
        slow_systemcall(TIMEOUT).with_context(|| format!("drawn blocking call {index} failed"))
    };
    let (serial, serial_run) = timeline::record(|| run_serial(CALLS, call));
    for blocked in serial {
        blocked?;
    }
    let (threaded, threaded_run) = timeline::record(|| {
        run_threaded(CALLS, call, |index| {
            black_box(compute_helicopter_location(index));
        })
    });
    for blocked in threaded
        .context("the drawn threads could not start")?
        .results
    {
        blocked?;
    }

    let serial_run = serial_run.named("blocking receive");
    let threaded_run = threaded_run.named("blocking receive");
    let note = format!(
        "serial: {} lane, at most {} receive at a time, {} in all; threads: {} lanes, \
         {} receives at once, {} in all",
        serial_run.lanes().len(),
        serial_run.peak_overlap(),
        fmt_duration(serial_run.length()),
        threaded_run.lanes().len(),
        threaded_run.peak_overlap(),
        fmt_duration(threaded_run.length())
    );
    Ok(Drawing::new(format!(
        "{CALLS} blocking receives with a {} timeout, a bar while a thread waits",
        fmt_duration(TIMEOUT)
    ))
    .run("one after another, on the calling thread", serial_run)
    .run(
        "a thread each, the calling thread computing meanwhile",
        threaded_run,
    )
    .note(note))
}
