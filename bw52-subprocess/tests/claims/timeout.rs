//! Deadlines: SIGTERM, then SIGKILL if ignored; always reaped.

use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::assert_reaped;
use bw52_subprocess::{
    ChildGuard, ChildState, Deadline, Ending, child_state, run_with_timeout, sleep_command,
    spawn_ignoring_sigterm, wait_or_terminate,
};
use nix::sys::signal::Signal;

/// How long a child that should exit at once may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(30);

#[test]
fn deadline_sends_sigterm_and_reaps() {
    let mut child = ChildGuard::spawn(&mut sleep_command(Duration::from_secs(30))).expect("starts");
    let pid = child.pid();
    // A long grace: `sleep` dies of SIGTERM at once, so escalation must not happen.
    let deadline = Deadline {
        timeout: Duration::from_millis(50),
        grace: Duration::from_secs(30),
    };
    let run = wait_or_terminate(&mut child, deadline).expect("terminates");
    assert_eq!(run.ending, Ending::Terminated);
    assert_eq!(run.status.signal(), Some(Signal::SIGTERM as i32));
    assert_eq!(run.describe(), "terminated by signal 15 (SIGTERM)");
    assert!(run.elapsed >= deadline.timeout, "{:?}", run.elapsed);
    assert_reaped(pid);
}

#[test]
fn child_ignoring_sigterm_is_still_killed() {
    // `ready` has been read when this returns: SIGTERM is ignored by then.
    let mut child = spawn_ignoring_sigterm(Duration::from_secs(30)).expect("starts");
    let pid = child.pid();
    let deadline = Deadline {
        timeout: Duration::from_millis(50),
        grace: Duration::from_millis(100),
    };
    let run = wait_or_terminate(&mut child, deadline).expect("kills");
    assert_eq!(run.ending, Ending::Killed);
    assert_eq!(run.status.signal(), Some(Signal::SIGKILL as i32));
    assert_eq!(run.describe(), "terminated by signal 9 (SIGKILL)");
    assert!(
        run.elapsed >= deadline.timeout + deadline.grace,
        "{:?}",
        run.elapsed
    );
    assert_reaped(pid);
}

#[test]
fn fast_child_finishes_before_its_deadline() {
    let deadline = Deadline {
        timeout: Duration::from_secs(30),
        grace: Duration::from_secs(1),
    };
    let run = run_with_timeout(Command::new("sh").args(["-c", "exit 4"]), deadline).expect("runs");
    assert_eq!(run.ending, Ending::Finished);
    assert_eq!(run.status.code(), Some(4));
}

#[test]
fn wait_timeout_gives_up_without_killing() {
    // `cat` runs until its stdin closes, which only we can do.
    let mut child = ChildGuard::spawn(Command::new("cat").stdin(Stdio::piped())).expect("starts");
    let stdin = child.take_stdin();
    assert_eq!(
        child
            .wait_timeout(Duration::from_millis(20))
            .expect("waits"),
        None
    );
    assert_eq!(
        child
            .wait_timeout(Duration::from_millis(20))
            .expect("waits"),
        None
    );
    assert_eq!(
        child_state(child.pid()).expect("child state"),
        ChildState::Running
    );
    assert_eq!(child.try_wait().expect("polls"), None);
    drop(stdin);
    let status = child
        .wait_timeout(Duration::from_secs(30))
        .expect("waits")
        .expect("cat ends once its stdin is closed");
    assert!(status.success());
    assert_reaped(child.pid());
}

#[test]
fn terminating_an_exited_child_reports_its_real_status() {
    // The child has exited (a zombie) but is not reaped: SIGTERM hits the
    // zombie harmlessly, and the status is its own exit code.
    let mut child = ChildGuard::spawn(Command::new("sh").args(["-c", "exit 3"])).expect("starts");
    bw52_subprocess::zombie::wait_until_exited(child.pid(), PATIENCE).expect("exits");
    let termination = child.terminate(Duration::from_secs(30)).expect("reaps");
    assert!(!termination.escalated);
    assert_eq!(termination.status.code(), Some(3));
    assert_eq!(termination.signal(), None);
}

#[test]
fn missing_program_with_a_deadline_is_named() {
    let deadline = Deadline {
        timeout: Duration::from_secs(1),
        grace: Duration::from_secs(1),
    };
    let error = run_with_timeout(&mut Command::new("bw52-no-such-program"), deadline)
        .expect_err("not installed");
    assert_eq!(error.program(), "bw52-no-such-program");
}

#[test]
fn wait_closes_stdin_first_even_after_a_timed_wait() {
    // `cat` ends only when its stdin closes. A timed wait leaves it open;
    // a plain wait closes it first (as std's does), so this cannot hang.
    let mut child = ChildGuard::spawn(Command::new("cat").stdin(Stdio::piped())).expect("starts");
    assert_eq!(
        child
            .wait_timeout(Duration::from_millis(10))
            .expect("waits"),
        None
    );
    assert!(child.wait().expect("cat ends").success());
    assert_reaped(child.pid());
}
