//! The counting threads' timeline: a `count` span per sensor thread, on a
//! lane named after it, recorded in-process and in the Chrome trace file
//! `--trace` writes.

use bw54_lock::{AtomicCounter, count_locally, count_with_threads};
use course_support::testing::{alone_in_process, traced_run};
use course_support::timeline;

const EXE: &str = env!("CARGO_BIN_EXE_bw54-lock");

#[test]
fn every_sensor_thread_counts_on_a_lane_of_its_own() {
    // The recorder keeps every span in the process: other tests' counting
    // threads must not run beside these.
    if !alone_in_process(
        module_path!(),
        "every_sensor_thread_counts_on_a_lane_of_its_own",
    ) {
        return;
    }
    let ((shared, local), recorded) = timeline::record(|| {
        (
            count_with_threads(&AtomicCounter::new(), 5, 1000),
            count_locally(5, 1000),
        )
    });
    assert!(shared.is_exact() && local.is_exact(), "{shared} / {local}");
    let counts = recorded.named("count");
    assert_eq!(counts.intervals().len(), 10, "a span per thread and run");
    let mut lanes = counts.lanes();
    lanes.sort_unstable();
    assert_eq!(
        lanes,
        ["worker 0", "worker 1", "worker 2", "worker 3", "worker 4"],
        "{}",
        counts.chart(72, 8)
    );
    // The two runs follow each other (each joins its threads before it
    // returns), so never more than one run's five threads count at once.
    assert!(counts.peak_overlap() <= 5, "{}", counts.chart(72, 8));
}

#[test]
fn the_trace_file_has_a_count_lane_per_thread() {
    let (_, trace) = traced_run(
        EXE,
        &[
            "--threads",
            "5",
            "--how-many",
            "1000",
            "--racy-runs",
            "1",
            "--repeats",
            "1",
        ],
    );
    // Four runs (racy, Mutex, fetch_add, local) of five threads each: every
    // thread is a lane of its own, with one `count` span on it.
    assert_eq!(trace.count("count"), 4 * 5, "{:?}", trace.names());
    assert_eq!(trace.lanes("count"), 4 * 5, "{trace:?}");
    assert!(trace.peak("count") <= 5, "one run at a time: {trace:?}");
}

#[test]
fn a_trace_file_that_cannot_be_written_stops_the_run_before_any_work() {
    course_support::testing::refuses_an_unwritable_trace(EXE, &[]);
}
