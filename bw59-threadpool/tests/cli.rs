//! The demo binary: the course's reference `final:` line and clear errors.

use std::process::Command;

fn demo(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_bw59-threadpool"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the demo binary runs")
}

#[test]
fn both_strategies_print_the_reference_final_line() {
    let out = demo(&[
        "--height",
        "37",
        "--width",
        "23",
        "--generations",
        "7",
        "--seed",
        "99",
        "--latency",
        "0",
        "--strategy",
        "pool",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    // The same line bw56-life prints for this grid, computed independently.
    assert_eq!(
        stdout
            .matches("\nfinal: alive=190 fnv1a=a320dfd3bcb759e5\n")
            .count(),
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
