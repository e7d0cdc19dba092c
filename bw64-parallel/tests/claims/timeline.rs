//! The parallel runs' timelines: recorded from the `gcd pair` and `worker
//! process` spans of real runs, in-process and in the Chrome trace file
//! `--trace` writes. Overlap is counted in open spans, not in speed: on one
//! core two CPU-bound threads still both have a pair open at once, taking
//! turns on the CPU.

use bw64_parallel::{NUMBERS, ProcessPool, serial, std_threads};
use course_support::testing::{alone_in_process, traced_run};
use course_support::timeline;

const EXE: &str = env!("CARGO_BIN_EXE_bw64-parallel");

#[test]
fn two_threads_draw_two_lanes_with_two_pairs_at_once() {
    // The recorder keeps every span in the process: no other test's threads
    // may compute beside these.
    if !alone_in_process(
        module_path!(),
        "two_threads_draw_two_lanes_with_two_pairs_at_once",
    ) {
        return;
    }
    let (results, recorded) = timeline::record(|| std_threads(&NUMBERS, 2));
    assert_eq!(results, serial(&NUMBERS));
    let pairs = recorded.named("gcd pair");
    assert_eq!(pairs.intervals().len(), NUMBERS.len(), "one span per pair");
    let mut lanes = pairs.lanes();
    lanes.sort_unstable();
    // Each of the ten pairs is millions of divisions: the second thread
    // starts long before the first could have taken them all.
    assert_eq!(lanes, ["worker 0", "worker 1"], "{}", pairs.chart(72, 8));
    assert_eq!(pairs.peak_overlap(), 2, "{}", pairs.chart(72, 8));
}

#[test]
fn serial_draws_one_lane_and_one_pair_at_a_time() {
    if !alone_in_process(
        module_path!(),
        "serial_draws_one_lane_and_one_pair_at_a_time",
    ) {
        return;
    }
    let (_, recorded) = timeline::record(|| serial(&NUMBERS));
    let pairs = recorded.named("gcd pair");
    assert_eq!(pairs.intervals().len(), NUMBERS.len());
    assert_eq!(pairs.lanes().len(), 1, "{:?}", pairs.lanes());
    assert_eq!(pairs.peak_overlap(), 1);
}

#[test]
fn the_drawing_has_one_lane_then_two() {
    if !alone_in_process(module_path!(), "the_drawing_has_one_lane_then_two") {
        return;
    }
    let drawing = bw64_parallel::drawing().expect("the drawn runs agree");
    assert_eq!(drawing.runs.len(), 2);
    let (serial_run, threads_run) = (&drawing.runs[0].1, &drawing.runs[1].1);
    assert_eq!(serial_run.lanes().len(), 1);
    assert_eq!(threads_run.lanes().len(), 2);
    assert_eq!(threads_run.peak_overlap(), 2);
    assert!(drawing.note.contains("2 lanes"), "{}", drawing.note);
}

#[test]
fn each_worker_process_is_a_span_from_spawn_to_reap() {
    if !alone_in_process(
        module_path!(),
        "each_worker_process_is_a_span_from_spawn_to_reap",
    ) {
        return;
    }
    let (answers, recorded) = timeline::record(|| {
        let mut pool = ProcessPool::start(std::path::Path::new(EXE), &["--gcd-worker"], 2)
            .expect("the workers start");
        let answers = pool.map(&NUMBERS[..4]).expect("the workers answer");
        pool.shutdown().expect("the workers exit cleanly");
        answers
    });
    assert_eq!(answers, serial(&NUMBERS[..4]));
    let processes = recorded.named("worker process");
    let mut lanes = processes.lanes();
    lanes.sort_unstable();
    assert_eq!(lanes, ["worker process 0", "worker process 1"]);
    // Both children live at once: started together, reaped at shut-down.
    assert_eq!(processes.peak_overlap(), 2);
}

#[test]
fn the_trace_file_has_the_gcd_pairs_two_at_a_time() {
    let (_, trace) = traced_run(
        EXE,
        &[
            "--threads",
            "2",
            "--height",
            "16",
            "--width",
            "16",
            "--generations",
            "1",
        ],
    );
    // Every serial, threaded and rayon run of the ten pairs: at least the
    // table's three of each.
    assert!(trace.count("gcd pair") >= 9 * NUMBERS.len(), "{trace:?}");
    assert_eq!(trace.count("gcd pair") % NUMBERS.len(), 0, "{trace:?}");
    // With two threads at most, never three pairs at once; and the threads
    // did overlap.
    assert_eq!(trace.peak("gcd pair"), 2, "{trace:?}");
}
