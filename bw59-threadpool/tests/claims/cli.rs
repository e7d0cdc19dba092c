//! The demo binary: the course's reference `final:` line and clear errors.

use bw56_life::cli::{REFERENCE_ARGS, REFERENCE_FINAL};
use course_support::testing::{accepted, refused};

const EXE: &str = env!("CARGO_BIN_EXE_bw59-threadpool");

#[test]
fn pool_prints_the_reference_final_line() {
    let mut args = REFERENCE_ARGS.to_vec();
    args.extend(["--latency", "0", "--strategy", "pool"]);
    let stdout = accepted(EXE, &args);
    assert_eq!(
        stdout.matches(&format!("\n{REFERENCE_FINAL}\n")).count(),
        1,
        "{stdout}"
    );
}

#[test]
fn zero_workers_is_a_clear_error() {
    let stderr = refused(EXE, &["--workers", "0"]);
    assert!(
        stderr.contains("--workers") && stderr.contains("at least 1"),
        "{stderr}"
    );
}

#[test]
fn too_many_workers_is_a_clear_error() {
    let stderr = refused(EXE, &["--workers", "100000"]);
    assert!(stderr.contains("more than 1000"), "{stderr}");
}
