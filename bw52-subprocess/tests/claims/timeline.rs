//! Every child's lifetime as a span: a `child process` span from its start to
//! its reaping, on a lane of its own (`child N`), recorded in-process and in
//! the Chrome trace file `--trace` writes.

use std::num::NonZeroUsize;
use std::sync::Arc;
use std::time::Duration;

use bw52_subprocess::{run_bounded, run_in_parallel, run_sequentially, sleep_command};
use course_support::InFlight;
use course_support::testing::{alone_in_process, traced_run};
use course_support::timeline;

const EXE: &str = env!("CARGO_BIN_EXE_bw52-subprocess");

#[test]
fn children_started_together_are_drawn_side_by_side() {
    // The recorder keeps every span in the process: other tests' children
    // must not run beside these.
    if !alone_in_process(
        module_path!(),
        "children_started_together_are_drawn_side_by_side",
    ) {
        return;
    }
    let sleep = || sleep_command(Duration::from_millis(10));

    let (outputs, sequential) = timeline::record(|| run_sequentially((0..3).map(|_| sleep())));
    assert_eq!(outputs.expect("every sleep exits with 0").len(), 3);
    let sequential = sequential.named("child process");
    assert_eq!(
        sequential.intervals().len(),
        3,
        "{}",
        sequential.chart(72, 8)
    );
    // Each child is reaped before the next starts.
    assert_eq!(sequential.peak_overlap(), 1, "{}", sequential.chart(72, 8));

    let (outputs, parallel) = timeline::record(|| run_in_parallel((0..4).map(|_| sleep())));
    assert_eq!(outputs.expect("every sleep exits with 0").len(), 4);
    let parallel = parallel.named("child process");
    assert_eq!(parallel.intervals().len(), 4);
    let lanes = parallel.lanes();
    assert_eq!(lanes.len(), 4, "a lane per child: {lanes:?}");
    assert!(
        lanes.iter().all(|lane| lane.starts_with("child ")),
        "{lanes:?}"
    );
    // All four are started before the first is waited for, and a span ends
    // only when its child is reaped: the four lifetimes overlap.
    assert_eq!(parallel.peak_overlap(), 4, "{}", parallel.chart(72, 8));
}

#[test]
fn bounded_children_live_within_their_permits() {
    if !alone_in_process(module_path!(), "bounded_children_live_within_their_permits") {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime starts");
    let gauge = Arc::new(InFlight::new());
    let commands = (0..6)
        .map(|_| tokio::process::Command::from(sleep_command(Duration::from_millis(10))))
        .collect();
    let limit = NonZeroUsize::new(2).expect("non-zero");
    let (results, recorded) =
        timeline::record(|| runtime.block_on(run_bounded(commands, limit, Arc::clone(&gauge))));
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let children = recorded.named("child process");
    assert_eq!(children.intervals().len(), 6, "{}", children.chart(72, 8));
    assert_eq!(children.lanes().len(), 6, "{}", children.chart(72, 8));
    // A child's span begins after its permit is taken and ends before the
    // permit is given back: never more than the limit at once.
    assert!(children.peak_overlap() <= 2, "{}", children.chart(72, 8));
    assert!(children.peak_overlap() <= gauge.peak());
}

#[test]
fn the_trace_file_has_a_lane_per_child() {
    let (_, trace) = traced_run(
        EXE,
        &[
            "--children",
            "8",
            "--sleep",
            "20ms",
            "--stream-mib",
            "1",
            "--timeout",
            "20ms",
            "--grace",
            "20ms",
            "--async-children",
            "4",
            "--limit",
            "2",
        ],
    );
    // Every child the demo started, and no more: echo and `sh` (the missing
    // program never became a child), the polled sleep, eight one after
    // another and eight at once, two cats, three encryptors, three chains of
    // two, yes and head, the reaping step's five, and four through tokio.
    let children = 2 + 1 + 8 + 8 + 2 + 3 + 3 * 2 + 2 + 5 + 4;
    assert_eq!(trace.count("child process"), children, "{trace:?}");
    // Every child is a lane of its own.
    assert_eq!(trace.lanes("child process"), children, "{trace:?}");
    // The eight started at once are the most alive together: the chains run
    // six at a time, the async step two.
    assert_eq!(trace.peak("child process"), 8, "{trace:?}");
}

#[test]
fn a_trace_file_that_cannot_be_written_stops_the_run_before_any_child() {
    course_support::testing::refuses_an_unwritable_trace(EXE, &[]);
}
