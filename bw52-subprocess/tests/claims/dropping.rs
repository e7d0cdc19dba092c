//! What dropping does: nothing for std's `Child`, kill-and-reap for `ChildGuard`.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::assert_reaped;
use bw52_subprocess::zombie::wait_until_exited;
use bw52_subprocess::{ChildGuard, ChildState, abandon, child_state, proc_state, sleep_command};
use nix::sys::signal::Signal;
use nix::sys::wait::WaitStatus;

#[test]
fn dropped_child_becomes_a_zombie_until_reaped() {
    let abandoned = abandon(Command::new("true").spawn().expect("true starts"));
    let pid = abandoned.pid();
    wait_until_exited(pid).expect("true exits");
    // Exited, and still in the process table: nobody has reaped it.
    assert_eq!(proc_state(pid).expect("/proc"), Some('Z'));
    assert_eq!(
        child_state(pid).expect("waitid"),
        ChildState::Zombie(WaitStatus::Exited(pid, 0))
    );
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
    assert_eq!(child_state(pid).expect("waitid"), ChildState::Running);
    assert!(matches!(proc_state(pid).expect("/proc"), Some(state) if state != 'Z'));
    assert_eq!(
        abandoned.kill_and_reap().expect("cleans up"),
        WaitStatus::Signaled(pid, Signal::SIGKILL, false)
    );
    assert_reaped(pid);
}

#[test]
fn dropped_guard_kills_and_reaps() {
    let guard = ChildGuard::spawn(&mut sleep_command(Duration::from_secs(30))).expect("starts");
    let pid = guard.pid();
    assert_eq!(child_state(pid).expect("waitid"), ChildState::Running);
    drop(guard);
    assert_reaped(pid);
}

#[test]
fn dropped_guard_reaps_a_finished_child() {
    let mut guard = ChildGuard::spawn(&mut Command::new("true")).expect("starts");
    let pid = guard.pid();
    wait_until_exited(pid).expect("true exits");
    assert!(matches!(
        child_state(pid).expect("waitid"),
        ChildState::Zombie(_)
    ));
    // A timed wait starts the watch thread; the guard must join it too.
    assert!(guard.wait_timeout(Duration::ZERO).is_ok());
    drop(guard);
    assert_reaped(pid);
}

#[test]
fn dropped_guard_cleans_up_while_a_timed_wait_watches() {
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
    let exit = wait_until_exited(guard.pid()).expect("killed");
    assert_eq!(
        exit,
        WaitStatus::Signaled(guard.pid(), Signal::SIGKILL, false)
    );
    assert!(watchdog.disarm(), "the watchdog says it fired");
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
        child_state(guard.pid()).expect("waitid"),
        ChildState::Running
    );
    drop(stdin);
    assert!(guard.wait().expect("cat ends").success());
}
