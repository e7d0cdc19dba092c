//! The demo binary's command line: the `final:` line and clear errors.

use std::process::Command;

use bw56_life::cli::{REFERENCE_ARGS, REFERENCE_FINAL};

fn demo(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_bw56-life"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the demo binary runs")
}

#[test]
fn seeded_run_prints_the_independently_computed_final_line() {
    let mut args = REFERENCE_ARGS.to_vec();
    args.extend(["--latency", "0"]);
    let out = demo(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        stdout.contains(&format!("\n{REFERENCE_FINAL}\n")),
        "{stdout}"
    );
}

#[test]
fn nonsense_latency_is_a_clear_error() {
    let out = demo(&["--latency", "nonsense"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--latency"), "{stderr}");
    assert!(stderr.contains("\"nonsense\""), "{stderr}");
}

#[test]
fn zero_height_is_a_clear_error() {
    let out = demo(&["--height", "0"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--height") && stderr.contains("at least 1"),
        "{stderr}"
    );
}

#[test]
fn glider_in_a_too_small_grid_is_a_clear_error() {
    let out = demo(&["--height", "2", "--latency", "0"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("too small for the glider") && stderr.contains("--seed"),
        "{stderr}"
    );
}

#[test]
fn unknown_strategy_is_rejected() {
    let out = demo(&["--strategy", "pool"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("serial"),
        "names the possible values: {stderr}"
    );
}
