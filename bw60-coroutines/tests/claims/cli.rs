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
