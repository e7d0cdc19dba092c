//! Running a child to completion: its output captured, its failures typed.

// Child processes, signals and zombies: Unix only, like the whole lesson.
#![cfg(unix)]

use std::process::Command;

use bw52_subprocess::{RunError, describe_status, run, run_text};

#[test]
fn output_is_captured() {
    let text = run_text(Command::new("echo").arg("Hello from the child!")).expect("echo runs");
    assert_eq!(text, "Hello from the child!\n");
}

#[test]
fn stdout_and_stderr_are_captured_separately() {
    let output = run(Command::new("sh").args(["-c", "echo out; echo err >&2"])).expect("sh runs");
    assert_eq!(output.stdout, b"out\n");
    assert_eq!(output.stderr, b"err\n");
}

#[test]
fn non_zero_exit_carries_code_and_stderr() {
    let error = run(Command::new("sh").args(["-c", "echo 'disk full' >&2; exit 3"]))
        .expect_err("exit 3 is a failure");
    assert!(matches!(error, RunError::Failed { .. }), "{error:?}");
    assert_eq!(error.code(), Some(3));
    assert_eq!(error.signal(), None);
    assert_eq!(error.stderr(), Some("disk full\n"));
    assert_eq!(error.program(), "sh");
    let message = error.to_string();
    assert!(message.contains("exit code 3"), "{message}");
    assert!(message.contains("disk full"), "{message}");
}

#[test]
fn death_by_signal_is_a_failure_naming_the_signal() {
    let error = run(Command::new("sh").args(["-c", "kill -TERM $$"])).expect_err("killed");
    assert_eq!(error.code(), None);
    assert_eq!(error.signal(), Some(15));
    assert!(
        error
            .to_string()
            .contains("terminated by signal 15 (SIGTERM)"),
        "{error}"
    );
}

#[test]
fn missing_program_is_an_error_naming_it() {
    let error = run(&mut Command::new("bw52-no-such-program")).expect_err("not installed");
    assert!(matches!(error, RunError::NotFound { .. }), "{error:?}");
    assert!(
        error.to_string().contains("\"bw52-no-such-program\""),
        "{error}"
    );
}

#[test]
fn missing_working_directory_is_not_blamed_on_the_program() {
    let error = run(Command::new("true").current_dir("/bw52/no/such/dir")).expect_err("no dir");
    assert!(matches!(error, RunError::Spawn { .. }), "{error:?}");
    assert!(error.to_string().contains("\"true\""), "{error}");
}

#[test]
fn child_reads_end_of_file_not_our_stdin() {
    // `run` closes the child's stdin, so `cat` ends at once with no output.
    let output = run(&mut Command::new("cat")).expect("cat sees end-of-file");
    assert!(output.stdout.is_empty());
    assert_eq!(describe_status(output.status), "exit code 0");
}
