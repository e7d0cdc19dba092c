//! Nothing is left behind on the failure paths: after each scenario this
//! process has no child at all, running or zombie.
//!
//! This file holds a single test on purpose: "no child at all" is a property
//! of the whole process, and other tests running beside it would have
//! children of their own.

// Child processes, signals and zombies: Unix only, like the whole lesson.
#![cfg(unix)]

use std::panic;
use std::process::Command;
use std::time::Duration;

use bw52_subprocess::chain::rot13_command;
use bw52_subprocess::{
    ChildGuard, Deadline, NaiveOutcome, Pipeline, RunError, pipe_through, run_in_parallel,
    sample_data, sleep_command, spawn_all, spawn_ignoring_sigterm, wait_or_terminate,
    write_then_read,
};
use nix::errno::Errno;
use nix::sys::wait::{WaitPidFlag, waitpid};
use nix::unistd::Pid;

/// `waitpid(-1, WNOHANG)` ("any child, do not block") fails with ECHILD only
/// when the calling process has no children whatsoever, running or zombie.
/// Any other answer fails the test: `StillAlive` for a running child, or a
/// zombie's status (which reaps that one zombie, but the test has failed by
/// then anyway).
fn assert_no_children(after: &str) {
    assert_eq!(
        waitpid(Pid::from_raw(-1), Some(WaitPidFlag::WNOHANG)),
        Err(Errno::ECHILD),
        "a child was left after {after}"
    );
}

fn missing() -> Command {
    Command::new("bw52-no-such-program")
}

#[test]
fn no_child_is_left_on_any_failure_path() {
    assert_no_children("nothing");

    let error = spawn_all([
        sleep_command(Duration::from_secs(30)),
        sleep_command(Duration::from_secs(30)),
        missing(),
    ])
    .expect_err("the third cannot start");
    assert!(matches!(error, RunError::NotFound { .. }));
    assert_no_children("a failed spawn_all");

    let error = run_in_parallel([
        sleep_command(Duration::from_millis(10)),
        Command::new("false"),
        sleep_command(Duration::from_millis(10)),
    ])
    .expect_err("false fails");
    assert_eq!(error.code(), Some(1));
    assert_no_children("a failed run_in_parallel");

    let error = Pipeline::spawn([Command::new("yes"), rot13_command(), missing()])
        .expect_err("the last stage cannot start");
    assert!(matches!(error, RunError::NotFound { .. }));
    assert_no_children("a failed Pipeline::spawn");

    drop(Pipeline::spawn([Command::new("yes"), rot13_command()]).expect("starts"));
    assert_no_children("a dropped, unfinished pipeline");

    let error = pipe_through(
        Command::new("sh").args(["-c", "head -c 1000 > /dev/null; exit 9"]),
        &sample_data(4 << 20, 1),
    )
    .expect_err("exit 9");
    assert_eq!(error.code(), Some(9));
    assert_no_children("a failed pipe_through");

    let outcome = write_then_read(
        &mut Command::new("cat"),
        &sample_data(4 << 20, 2),
        Duration::from_millis(100),
    )
    .expect("cat starts");
    assert!(matches!(outcome, NaiveOutcome::Stuck { .. }));
    assert_no_children("a deadlocked write_then_read");

    let mut stubborn = spawn_ignoring_sigterm(Duration::from_secs(30)).expect("starts");
    let deadline = Deadline {
        timeout: Duration::from_millis(10),
        grace: Duration::from_millis(10),
    };
    wait_or_terminate(&mut stubborn, deadline).expect("killed");
    drop(stubborn);
    assert_no_children("a killed stubborn child");

    // A panic unwinding past a guard: the guard still kills and reaps.
    let quiet = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let unwound = panic::catch_unwind(|| {
        let _guard =
            ChildGuard::spawn(&mut sleep_command(Duration::from_secs(30))).expect("starts");
        panic!("something failed while the child ran");
    });
    panic::set_hook(quiet);
    assert!(unwound.is_err());
    assert_no_children("a panic while a guard was alive");
}
