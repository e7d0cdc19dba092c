//! The demo binary's command line: the `final:` line and clear errors.

use bw56_life::cli::{REFERENCE_ARGS, REFERENCE_FINAL};
use course_support::testing::{accepted, refused};

const EXE: &str = env!("CARGO_BIN_EXE_bw56-life");

#[test]
fn seeded_run_prints_the_independently_computed_final_line() {
    let mut args = REFERENCE_ARGS.to_vec();
    args.extend(["--latency", "0"]);
    let stdout = accepted(EXE, &args);
    assert!(
        stdout.contains(&format!("\n{REFERENCE_FINAL}\n")),
        "{stdout}"
    );
}

#[test]
fn nonsense_latency_is_a_clear_error() {
    let stderr = refused(EXE, &["--latency", "nonsense"]);
    assert!(stderr.contains("--latency"), "{stderr}");
    assert!(stderr.contains("\"nonsense\""), "{stderr}");
}

#[test]
fn zero_height_is_a_clear_error() {
    let stderr = refused(EXE, &["--height", "0"]);
    assert!(
        stderr.contains("--height") && stderr.contains("at least 1"),
        "{stderr}"
    );
}

#[test]
fn glider_in_a_too_small_grid_is_a_clear_error() {
    let stderr = refused(EXE, &["--height", "2", "--latency", "0"]);
    assert!(
        stderr.contains("too small for the glider") && stderr.contains("--seed"),
        "{stderr}"
    );
}

#[test]
fn unknown_strategy_is_rejected() {
    let stderr = refused(EXE, &["--strategy", "pool"]);
    assert!(
        stderr.contains("serial"),
        "names the possible values: {stderr}"
    );
}

#[test]
fn a_trace_file_that_cannot_be_written_is_refused_before_any_work() {
    course_support::testing::refuses_an_unwritable_trace(EXE, &[]);
}
