//! Chaining children with pipes, the parent's copy closed.

use std::os::unix::process::ExitStatusExt;
use std::process::Command;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use bw52_subprocess::chain::{parse_sha256sum, rot13_command, sha256sum_command};
use bw52_subprocess::{Pipeline, RunError, rot13, sample_data, sha256_hex};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

#[test]
fn tr_into_sha256sum_matches_in_process() {
    for (len, seed) in [(0, 1), (1, 2), (100, 3), (100_000, 4), (3 << 20, 5)] {
        let data = sample_data(len, seed);
        let stdout = Pipeline::spawn([rot13_command(), sha256sum_command()])
            .expect("tr and sha256sum start")
            .finish(&data)
            .expect("pipeline runs")
            .into_checked()
            .expect("both stages succeed");
        let digest = parse_sha256sum(&stdout).expect("a digest");
        assert_eq!(digest, sha256_hex(&rot13(&data)), "{len} bytes");
    }
}

#[test]
fn in_process_references_are_right() {
    assert_eq!(rot13(b"Hello, World! 123"), b"Uryyb, Jbeyq! 123");
    assert_eq!(rot13(&rot13(&sample_data(4096, 1))), sample_data(4096, 1));
    // The SHA-256 of the empty input, a published test vector.
    assert_eq!(
        sha256_hex(b""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn several_chains_run_side_by_side() {
    let inputs: Vec<_> = (0..3).map(|seed| sample_data(50_000, seed)).collect();
    let chains: Vec<_> = inputs
        .iter()
        .map(|_| Pipeline::spawn([rot13_command(), sha256sum_command()]).expect("starts"))
        .collect();
    for (chain, input) in chains.into_iter().zip(&inputs) {
        let stdout = chain
            .finish(input)
            .expect("runs")
            .into_checked()
            .expect("ok");
        assert_eq!(parse_sha256sum(&stdout), Ok(sha256_hex(&rot13(input))));
    }
}

#[test]
fn upstream_gets_sigpipe_once_downstream_exits() {
    // `yes` never stops writing. It ends only by SIGPIPE, which comes only
    // if no read end of its pipe is left open once `head` has exited — so
    // the parent must have closed its copy. Had it not, `yes` would block on
    // a full pipe forever; the rescue below would then SIGKILL it (signal 9)
    // and the assertion would fail instead of the test hanging.
    let mut head = Command::new("head");
    head.args(["-c", "6"]);
    let pipeline = Pipeline::spawn([Command::new("yes"), head]).expect("starts");
    let pids = pipeline.ids();
    let (done_tx, done_rx) = mpsc::channel();
    let worker = thread::spawn(move || {
        let output = pipeline.finish(b"");
        let _ = done_tx.send(());
        output
    });
    if done_rx.recv_timeout(Duration::from_secs(30)).is_err() {
        // Still unreaped (finish has not returned), so the pids are ours.
        for pid in pids {
            let _ = kill(Pid::from_raw(pid as i32), Signal::SIGKILL);
        }
    }
    let output = worker.join().expect("no panic").expect("pipeline runs");
    assert_eq!(output.stdout, b"y\ny\ny\n");
    assert_eq!(
        output.stages[0].status.signal(),
        Some(Signal::SIGPIPE as i32)
    );
    assert!(output.stages[1].status.success());
    let error = output.into_checked().expect_err("yes died of a signal");
    assert_eq!(error.program(), "yes");
}

#[test]
fn failing_stage_is_named() {
    let mut failing = Command::new("sh");
    failing.args(["-c", "cat > /dev/null; echo 'stage two broke' >&2; exit 2"]);
    let error = Pipeline::spawn([rot13_command(), failing, sha256sum_command()])
        .expect("starts")
        .finish(&sample_data(1 << 20, 7))
        .expect("runs")
        .into_checked()
        .expect_err("the middle stage fails");
    assert!(matches!(error, RunError::Failed { .. }), "{error:?}");
    assert_eq!(error.program(), "sh");
    assert_eq!(error.code(), Some(2));
    assert_eq!(error.stderr(), Some("stage two broke\n"));
}

#[test]
fn missing_stage_program_is_named() {
    let error = Pipeline::spawn([rot13_command(), Command::new("bw52-no-such-hash")])
        .expect_err("not installed");
    assert!(matches!(error, RunError::NotFound { .. }), "{error:?}");
    assert_eq!(error.program(), "bw52-no-such-hash");
}
