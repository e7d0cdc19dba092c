//! The demo binary: the course's reference `final:` line and clear errors.

use std::process::Command;

use bw56_life::cli::{REFERENCE_ARGS, REFERENCE_FINAL};

fn demo(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_bw59-threadpool"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the demo binary runs")
}

#[test]
fn pool_prints_the_reference_final_line() {
    let mut args = REFERENCE_ARGS.to_vec();
    args.extend(["--latency", "0", "--strategy", "pool"]);
    let out = demo(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    assert_eq!(
        stdout.matches(&format!("\n{REFERENCE_FINAL}\n")).count(),
        1,
        "{stdout}"
    );
}

#[test]
fn zero_workers_is_a_clear_error() {
    let out = demo(&["--workers", "0"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--workers") && stderr.contains("at least 1"),
        "{stderr}"
    );
}

#[test]
fn too_many_workers_is_a_clear_error() {
    let out = demo(&["--workers", "100000"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("more than 1000"), "{stderr}");
}
