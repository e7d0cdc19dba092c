//! The small real run the demo draws and the README pictures: a few of the
//! book's gcd pairs computed serially, then on two threads, on one time axis.

use anyhow::ensure;
use course_support::timeline::{self, Drawing};

use crate::gcd::NUMBERS;
use crate::threads::{serial, std_threads};

/// How many of the book's pairs the drawn runs compute: all ten, a few tens
/// of milliseconds of work, enough for each thread to take several.
pub const DRAWN_PAIRS: usize = NUMBERS.len();
/// Threads in the drawn parallel run.
pub const DRAWN_THREADS: usize = 2;

/// Computes the first [`DRAWN_PAIRS`] pairs serially and on
/// [`DRAWN_THREADS`] threads, and draws their `gcd pair` spans: one lane for
/// the serial run, a lane per worker thread for the other.
///
/// # Errors
///
/// If the two runs disagree.
pub fn drawing() -> anyhow::Result<Drawing> {
    let pairs = &NUMBERS[..DRAWN_PAIRS];
    let (one_by_one, serial_run) = timeline::record(|| serial(pairs));
    let (side_by_side, threads_run) = timeline::record(|| std_threads(pairs, DRAWN_THREADS));
    ensure!(
        one_by_one == side_by_side,
        "the drawn runs disagree: {one_by_one:?} serially, {side_by_side:?} on threads"
    );
    let (serial_run, threads_run) = (serial_run.named("gcd pair"), threads_run.named("gcd pair"));
    let note = format!(
        "serially: {} lane, at most {} pair at a time; on {DRAWN_THREADS} threads: {} lanes, \
         at most {} pairs at a time, done in {:.0}% of the serial time",
        serial_run.lanes().len(),
        serial_run.peak_overlap(),
        threads_run.lanes().len(),
        threads_run.peak_overlap(),
        100.0 * threads_run.length().as_secs_f64()
            / serial_run.length().as_secs_f64().max(f64::MIN_POSITIVE)
    );
    Ok(Drawing::new(format!(
        "gcd of {DRAWN_PAIRS} of the book's pairs by slow downward search; \
         a bar while a lane computes a pair"
    ))
    .run("serially, on the main thread", serial_run)
    .run(
        format!("on {DRAWN_THREADS} threads: the pairs run side by side"),
        threads_run,
    )
    .note(note))
}
