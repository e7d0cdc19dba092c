//! The pool's timeline: recorded from the `job` and `cell io` spans of real
//! runs, in-process and in the Chrome trace file `--trace` writes.

use std::sync::Arc;
use std::time::Duration;

use bw56_life::{CellIo, Grid};
use bw59_threadpool::{Pool, simulate_pool};
use course_support::InFlight;
use course_support::testing::traced_run;
use course_support::timeline;

const EXE: &str = env!("CARGO_BIN_EXE_bw59-threadpool");

#[test]
fn a_pool_of_four_draws_four_lanes_and_never_five_jobs_at_once() {
    // The recorder keeps every span in the process: other tests' pools must
    // not run beside this one.
    if !course_support::testing::alone_in_process(
        module_path!(),
        "a_pool_of_four_draws_four_lanes_and_never_five_jobs_at_once",
    ) {
        return;
    }
    let pool = Pool::new(4).expect("four threads start");
    let gauge = Arc::new(InFlight::new());
    let io = CellIo::new(Duration::from_millis(2)).with_gauge(Arc::clone(&gauge));
    let grid = Grid::glider();
    let (next, recorded) = timeline::record(|| simulate_pool(&pool, &grid, &io));
    next.expect("no cell fails");
    let jobs = recorded.named("job");
    assert_eq!(jobs.intervals().len(), grid.len(), "one job per cell");
    let mut lanes = jobs.lanes();
    lanes.sort_unstable();
    assert_eq!(lanes, ["worker 0", "worker 1", "worker 2", "worker 3"]);
    assert!(jobs.peak_overlap() <= 4, "{}", jobs.chart(72, 8));
    // The chart's overlap is the instrumented one: the cells' waits seen by
    // their spans and by the gauge agree.
    let waits = recorded.named("cell io");
    assert_eq!(waits.intervals().len(), grid.len());
    assert_eq!(waits.peak_overlap(), gauge.peak(), "{}", waits.chart(72, 8));
}

#[test]
fn the_trace_file_shows_every_job_on_four_worker_lanes() {
    let (_, trace) = traced_run(
        EXE,
        &[
            "--height",
            "6",
            "--width",
            "6",
            "--generations",
            "2",
            "--latency",
            "1ms",
            "--strategy",
            "pool",
            "--workers",
            "4",
        ],
    );
    assert_eq!(trace.lanes("job"), 4, "{trace:?}");
    assert_eq!(trace.count("job"), 2 * 36, "a job per cell and generation");
    assert_eq!(trace.count("cell io"), 2 * 36, "{:?}", trace.names());
    assert!(trace.peak("job") <= 4, "{trace:?}");
}

#[test]
fn a_trace_file_that_cannot_be_written_stops_the_run_before_any_work() {
    course_support::testing::refuses_an_unwritable_trace(EXE, &["--strategy", "pool"]);
}
