//! The tailers' timeline: a `tail` span per tailer, per file and per step,
//! recorded in-process and in the Chrome trace `--trace` writes.

use std::time::Duration;

use bw62_mix::{Shutdown, Version, Workload, run_merge};
use course_support::testing::{alone_in_process, traced_run};
use course_support::timeline;

const EXE: &str = env!("CARGO_BIN_EXE_bw62-mix");

#[test]
fn every_version_draws_a_lane_per_file() {
    // The recorder keeps every span in the process: no other test's tailers
    // may run beside these.
    if !alone_in_process(module_path!(), "every_version_draws_a_lane_per_file") {
        return;
    }
    let workload = Workload {
        files: 3,
        lines: 3,
        max_delay: Duration::from_millis(2),
        seed: 62,
    };
    let expected = [
        "tail input-000.log",
        "tail input-001.log",
        "tail input-002.log",
    ];
    for version in Version::ALL {
        let dir = tempfile::tempdir().expect("temp dir");
        let (run, recorded) = timeline::record(|| {
            run_merge(
                version,
                &workload,
                Duration::from_millis(1),
                Shutdown::AfterWriters,
                dir.path(),
            )
        });
        let run = run.expect("the merge succeeds");
        assert_eq!(run.lines, 9, "{version}");
        let tails = recorded.named("tail");
        assert_eq!(tails.intervals().len(), 3, "{version}: one tailer per file");
        let mut lanes = tails.lanes();
        lanes.sort_unstable();
        assert_eq!(lanes, expected, "{version}: {}", tails.chart(72, 8));
    }
}

#[test]
fn the_trace_file_has_a_tail_span_per_file_and_step() {
    let (_, trace) = traced_run(
        EXE,
        &[
            "--files",
            "2",
            "--lines",
            "2",
            "--max-delay",
            "1ms",
            "--many-files",
            "0",
            "--burst-files",
            "0",
        ],
    );
    // Every span that began ended (`read` checks): each tailer finished.
    // Two files in each of the four steps, then two in the book-style
    // shutdown of the first step.
    assert_eq!(trace.count("tail"), 4 * 2 + 2, "{:?}", trace.names());
}

#[test]
fn a_trace_file_that_cannot_be_written_stops_the_run_before_any_work() {
    course_support::testing::refuses_an_unwritable_trace(EXE, &[]);
}
