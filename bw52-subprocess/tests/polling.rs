//! Polling a running child with `try_wait` while the parent works.

// Child processes, signals and zombies: Unix only, like the whole lesson.
#![cfg(unix)]

use std::process::{Command, Stdio};

use bw52_subprocess::{ChildGuard, poll_while_working};

#[test]
fn parent_works_while_the_child_runs() {
    // `cat` cannot end before its stdin is closed, and we close it only after
    // five units of work: so at least five polls must have said "running".
    let mut child = ChildGuard::spawn(
        Command::new("cat")
            .stdin(Stdio::piped())
            .stdout(Stdio::null()),
    )
    .expect("cat starts");
    let mut stdin = child.take_stdin();
    let mut units = 0;
    let report = poll_while_working(&mut child, || {
        units += 1;
        if units == 5 {
            drop(stdin.take());
        }
    })
    .expect("polling works");
    assert!(report.status.success(), "{:?}", report.status);
    assert!(report.work_units >= 5, "{report:?}");
    assert_eq!(report.work_units, units);
    assert_eq!(report.polls, units + 1);
    assert_eq!(
        child.status(),
        Some(report.status),
        "reaped by the last poll"
    );
}

#[test]
fn try_wait_reports_running_then_the_status() {
    let mut child = ChildGuard::spawn(
        Command::new("sh")
            .args(["-c", "read _; exit 7"])
            .stdin(Stdio::piped()),
    )
    .expect("sh starts");
    assert_eq!(child.try_wait().expect("try_wait"), None);
    drop(child.take_stdin());
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(7));
    assert_eq!(
        child.try_wait().expect("try_wait").map(|s| s.code()),
        Some(Some(7))
    );
}
