//! Instruments shared by the integration tests.

use std::path::Path;
use std::process::Command;

use bw52_subprocess::{ChildState, child_state, process_state};
use nix::errno::Errno;
use nix::sys::wait::{WaitPidFlag, waitpid};
use nix::unistd::Pid;

/// A child that proves concurrency by itself: it leaves a marker file in
/// `dir`, then waits until `parties` markers exist — which happens only if
/// that many children are alive at the same time. It gives up with exit code
/// 1 (and says so on stderr) after `tries` checks 10 ms apart, so a run that
/// is not concurrent fails instead of hanging.
#[allow(dead_code)]
pub(crate) fn barrier_command(dir: &Path, parties: usize, tries: u32) -> Command {
    // The markers are counted by the shell itself (`set --` with a glob, then
    // `$#`): no `ls | wc -l`, whose padding differs between systems. The
    // glob always matches, since this child's own marker is there.
    let script = r#"
        dir=$1; parties=$2; tries=$3
        : > "$dir/arrived.$$"
        arrived() { set -- "$dir"/arrived.*; echo $#; }
        n=0
        while [ "$(arrived)" -lt "$parties" ]; do
            n=$((n + 1))
            if [ "$n" -gt "$tries" ]; then
                echo "gave up: only $(arrived) of $parties arrived" >&2
                exit 1
            fi
            sleep 0.01
        done
    "#;
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(script)
        .arg("sh")
        .arg(dir)
        .arg(parties.to_string())
        .arg(tries.to_string());
    command
}

/// Asserts that `pid` is no child of ours any more — reaped, no zombie — by
/// three witnesses: [`child_state`], `waitpid` (ECHILD, "no child
/// processes"), and the absence of any process with that pid.
#[allow(dead_code)]
pub(crate) fn assert_reaped(pid: Pid) {
    assert_eq!(
        child_state(pid).expect("child state"),
        ChildState::Gone,
        "pid {pid}"
    );
    assert_eq!(
        waitpid(pid, Some(WaitPidFlag::WNOHANG)),
        Err(Errno::ECHILD),
        "pid {pid}"
    );
    assert_eq!(
        process_state(pid).expect("process state"),
        None,
        "process {pid} still exists"
    );
}
