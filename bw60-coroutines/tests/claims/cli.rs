//! The demo's command line: every strategy prints the course's `final:` line,
//! and bad input is refused with a message naming it.

use std::process::Command;

const EXE: &str = env!("CARGO_BIN_EXE_bw60-coroutines");

#[test]
fn every_strategy_prints_the_course_fingerprint() {
    for strategy in ["pool", "tokio", "tokio-current-thread", "smol", "async-std"] {
        let output = Command::new(EXE)
            .args(bw56_life::cli::REFERENCE_ARGS)
            .args(["--latency", "100us", "--strategy", strategy])
            .output()
            .expect("the demo starts");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{strategy}: {output:?}");
        assert_eq!(
            stdout
                .lines()
                .filter(|line| line.trim() == bw56_life::cli::REFERENCE_FINAL)
                .count(),
            1,
            "{strategy}: {stdout}"
        );
    }
}

#[test]
fn an_unknown_strategy_is_refused_by_name() {
    let output = Command::new(EXE)
        .args(["--strategy", "trio"])
        .output()
        .expect("the demo starts");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("trio"), "{stderr}");
    assert!(
        stderr.contains("async-std"),
        "the valid names are listed: {stderr}"
    );
}

#[test]
fn an_unknown_fanout_is_refused_by_name() {
    let output = Command::new(EXE)
        .args(["--fanout", "gather"])
        .output()
        .expect("the demo starts");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("gather"), "{stderr}");
}

#[test]
fn a_trace_file_that_cannot_be_written_is_refused_before_any_work() {
    course_support::testing::refuses_an_unwritable_trace(EXE, &[]);
}

#[test]
fn the_trace_file_has_a_span_per_cell_wait() {
    let (_, trace) = course_support::testing::traced_run(
        EXE,
        &["--height", "2", "--width", "3", "--strategy", "tokio"],
    );
    // Async lanes: each cell's wait begins and ends on a lane of its own,
    // whichever thread polled it (every span that began ended: `read`).
    assert_eq!(trace.count("cell io"), 6, "one wait per cell");
    assert_eq!(trace.lanes("cell io"), 6, "{trace:?}");
}
