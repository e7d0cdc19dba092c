//! Running a lesson's binary from its integration tests.
//!
//! Tests find the binary with `env!("CARGO_BIN_EXE_<name>")`. The environment
//! variable `RUST_BACKTRACE` is removed for the child, so that what a test reads
//! on stderr is the message a user would see, not a backtrace.

use std::process::{Command, Output};

/// Runs `exe` with `args` to completion and returns its output.
///
/// # Panics
///
/// If the binary cannot be started at all.
pub fn run_binary(exe: &str, args: &[&str]) -> Output {
    Command::new(exe)
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {exe}: {e}"))
}

/// Runs `exe` with `args`, which must succeed, and returns its stdout.
///
/// # Panics
///
/// If it fails (the message shows its stderr) or prints invalid UTF-8.
pub fn accepted(exe: &str, args: &[&str]) -> String {
    let out = run_binary(exe, args);
    assert!(
        out.status.success(),
        "{exe} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("the demo prints UTF-8")
}

/// Runs `exe` with `args`, which must be refused (exit non-zero), and
/// returns its stderr for the test to check the message.
///
/// # Panics
///
/// If it succeeds.
pub fn refused(exe: &str, args: &[&str]) -> String {
    let out = run_binary(exe, args);
    assert!(
        !out.status.success(),
        "{exe} {args:?} should have been refused"
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}
