//! Running a lesson's binary from its integration tests, and checking that
//! a child process is gone.
//!
//! Tests find the binary with `env!("CARGO_BIN_EXE_<name>")`. The environment
//! variable `RUST_BACKTRACE` is removed for the child, so that what a test reads
//! on stderr is the message a user would see, not a backtrace.

use std::io;
use std::process::{Command, Output};

use crate::platform;

/// Whether a process with id `pid` exists: running, or exited but not yet
/// reaped (a zombie). After its parent has reaped it, it does not.
///
/// Unix asks the kernel with signal 0 (`kill(pid, 0)`), Windows lists the
/// process with `tasklist`. An id can be reused by a new process, so check
/// soon after the process ended.
pub fn process_exists(pid: u32) -> io::Result<bool> {
    platform::process_exists(pid)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_exists_until_it_is_reaped() {
        let mut child = Command::new(std::env::current_exe().expect("this test binary"))
            .arg("--list")
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("the test binary starts again");
        let pid = child.id();
        // Until its parent reaps it, a Unix child exists: running, or a
        // zombie once it has exited. (Windows has no zombies: an exited
        // process is no longer listed, reaped or not.)
        if cfg!(unix) {
            assert!(process_exists(pid).expect("asked"), "running or a zombie");
        }
        child.wait().expect("reaped");
        assert!(!process_exists(pid).expect("asked"), "reaped");
        assert!(process_exists(std::process::id()).expect("asked"));
    }
}
