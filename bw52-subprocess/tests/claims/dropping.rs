//! What dropping does: nothing for std's `Child`, kill-and-reap for `ChildGuard`.

use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::assert_reaped;
use bw52_subprocess::platform::ps_status;
use bw52_subprocess::zombie::wait_until_exited;
use bw52_subprocess::{
    ChildGuard, ChildState, ProcessStatus, abandon, child_state, process_state, process_status,
    sleep_command,
};
use nix::sys::signal::Signal;
use nix::sys::wait::WaitStatus;
use nix::unistd::getpid;

/// How long a child that should exit at once may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(30);

#[test]
fn dropped_child_becomes_a_zombie_until_reaped() {
    let abandoned = abandon(Command::new("true").spawn().expect("true starts"));
    let pid = abandoned.pid();
    wait_until_exited(pid, PATIENCE).expect("true exits");
    // Exited, and still in the process table: nobody has reaped it.
    assert_eq!(process_state(pid).expect("state"), Some('Z'));
    assert_eq!(child_state(pid).expect("child state"), ChildState::Zombie);
    // The zombie kept its exit status for whoever reaps it.
    assert_eq!(abandoned.reap().expect("reaps"), WaitStatus::Exited(pid, 0));
    assert_reaped(pid);
}

#[test]
fn dropped_child_keeps_running() {
    let abandoned = abandon(
        sleep_command(Duration::from_secs(30))
            .spawn()
            .expect("sleep starts"),
    );
    let pid = abandoned.pid();
    assert_eq!(child_state(pid).expect("child state"), ChildState::Running);
    assert!(matches!(process_state(pid).expect("state"), Some(state) if state != 'Z'));
    assert_eq!(
        abandoned.kill_and_reap().expect("cleans up"),
        WaitStatus::Signaled(pid, Signal::SIGKILL, false)
    );
    assert_reaped(pid);
}

#[test]
fn ps_sees_what_the_platform_reader_sees() {
    // `ps` is how other systems read a process's state; on Linux the lesson
    // reads /proc instead, so here both must agree — running, zombie, gone.
    let running = abandon(
        sleep_command(Duration::from_secs(30))
            .spawn()
            .expect("sleep starts"),
    );
    let finished = abandon(Command::new("true").spawn().expect("true starts"));
    wait_until_exited(finished.pid(), PATIENCE).expect("true exits");
    for pid in [running.pid(), finished.pid()] {
        let by_ps = ps_status(pid).expect("ps runs");
        assert_eq!(
            by_ps.map(|status| status.parent),
            Some(getpid()),
            "ps names us as the parent of {pid}"
        );
        // A sleeping process may be caught running and vice versa, but a
        // zombie stays a zombie: compare only what cannot change.
        let zombie = |status: Option<ProcessStatus>| status.map(|s| s.state == 'Z');
        assert_eq!(
            zombie(by_ps),
            zombie(process_status(pid).expect("platform reader")),
            "pid {pid}"
        );
    }
    assert_eq!(
        ps_status(finished.pid()).expect("ps").map(|s| s.state),
        Some('Z')
    );
    let (running_pid, finished_pid) = (running.pid(), finished.pid());
    running.kill_and_reap().expect("cleans up");
    finished.reap().expect("reaps");
    assert_eq!(ps_status(running_pid).expect("ps runs"), None);
    assert_eq!(ps_status(finished_pid).expect("ps runs"), None);
}

#[test]
fn dropped_guard_kills_and_reaps() {
    let guard = ChildGuard::spawn(&mut sleep_command(Duration::from_secs(30))).expect("starts");
    let pid = guard.pid();
    assert_eq!(child_state(pid).expect("child state"), ChildState::Running);
    drop(guard);
    assert_reaped(pid);
}

#[test]
fn dropped_guard_reaps_a_finished_child() {
    let guard = ChildGuard::spawn(&mut Command::new("true")).expect("starts");
    let pid = guard.pid();
    wait_until_exited(pid, PATIENCE).expect("true exits");
    assert_eq!(child_state(pid).expect("child state"), ChildState::Zombie);
    drop(guard);
    assert_reaped(pid);
}

#[test]
fn timed_wait_reaps_a_child_that_has_already_exited() {
    // Even a zero timeout looks once: the zombie is collected, not missed.
    let mut guard = ChildGuard::spawn(Command::new("sh").args(["-c", "exit 5"])).expect("starts");
    let pid = guard.pid();
    wait_until_exited(pid, PATIENCE).expect("sh exits");
    let status = guard
        .wait_timeout(Duration::ZERO)
        .expect("waits")
        .expect("it has exited");
    assert_eq!(status.code(), Some(5));
    assert_eq!(guard.status(), Some(status));
    assert_reaped(pid);
}

#[test]
fn dropped_guard_cleans_up_after_a_timed_wait_gave_up() {
    let mut guard = ChildGuard::spawn(Command::new("cat").stdin(Stdio::piped())).expect("starts");
    let pid = guard.pid();
    assert_eq!(
        guard
            .wait_timeout(Duration::from_millis(10))
            .expect("waits"),
        None
    );
    drop(guard);
    assert_reaped(pid);
}

#[test]
fn watchdog_fires_after_its_delay() {
    let mut guard = ChildGuard::spawn(Command::new("cat").stdin(Stdio::piped())).expect("starts");
    let stdin = guard.take_stdin();
    let watchdog = guard
        .watchdog(Duration::from_millis(20), Signal::SIGKILL)
        .expect("armed");
    // `cat` cannot exit by itself (its stdin is open): only the watchdog
    // can end it. Wait for that without reaping (the watchdog borrows the
    // guard, so `guard.wait()` would not even compile here).
    wait_until_exited(guard.pid(), PATIENCE).expect("killed");
    assert!(watchdog.disarm(), "the watchdog says it fired");
    let status = guard.wait().expect("reaps");
    assert_eq!(
        status.signal(),
        Some(Signal::SIGKILL as i32),
        "cat was killed"
    );
    drop(stdin);
    let pid = guard.pid();
    drop(guard);
    assert_reaped(pid);
}

#[test]
fn disarmed_watchdog_does_nothing() {
    let mut guard = ChildGuard::spawn(Command::new("cat").stdin(Stdio::piped())).expect("starts");
    let stdin = guard.take_stdin();
    let watchdog = guard
        .watchdog(Duration::from_secs(3600), Signal::SIGKILL)
        .expect("armed");
    assert!(!watchdog.disarm());
    assert_eq!(
        child_state(guard.pid()).expect("child state"),
        ChildState::Running
    );
    drop(stdin);
    assert!(guard.wait().expect("cat ends").success());
}
