//! Chaining children with pipes, the parent's copy closed.

use std::ffi::OsStr;
use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::os::unix::process::ExitStatusExt;
use std::process::Command;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use bw52_subprocess::chain::{
    find_on_path, parse_sha256sum, rot13_command, sha256_command, sha256_command_on,
};
use bw52_subprocess::{Pipeline, RunError, rot13, sample_data, sha256_hex};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

/// The hash program this system has: `sha256sum`, or `shasum -a 256`.
fn hash() -> Command {
    sha256_command().expect("sha256sum or shasum is installed")
}

#[test]
fn tr_into_sha256sum_matches_in_process() {
    for (len, seed) in [(0, 1), (1, 2), (100, 3), (100_000, 4), (3 << 20, 5)] {
        let data = sample_data(len, seed);
        let stdout = Pipeline::spawn([rot13_command(), hash()])
            .expect("tr and the hash start")
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
        .map(|_| Pipeline::spawn([rot13_command(), hash()]).expect("starts"))
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
    let error = Pipeline::spawn([rot13_command(), failing, hash()])
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

#[test]
fn tr_runs_in_the_c_locale() {
    // Without it, macOS's `tr` would read the data as UTF-8 and reject bytes
    // that are not; the round trips above cover every byte value.
    let command = rot13_command();
    let locale = command
        .get_envs()
        .find(|(name, _)| *name == "LC_ALL")
        .and_then(|(_, value)| value);
    assert_eq!(locale, Some(OsStr::new("C")));
}

/// A directory holding executable files of the given names (they only need
/// to exist: choosing the hash does not run them).
fn bin_dir(names: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in names {
        let path = dir.path().join(name);
        fs::write(&path, "#!/bin/sh\nexit 1\n").expect("write");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    dir
}

#[test]
fn sha256sum_is_preferred_when_both_exist() {
    let dir = bin_dir(&["shasum", "sha256sum"]);
    let command = sha256_command_on(Some(dir.path().as_os_str())).expect("found");
    assert_eq!(command.get_program(), "sha256sum");
    assert_eq!(command.get_args().count(), 0);
}

#[test]
fn shasum_stands_in_for_a_missing_sha256sum() {
    // A PATH with only the real `shasum` on it, as on macOS; the chain it
    // builds must still produce the right digest.
    let real = find_on_path("shasum", std::env::var_os("PATH").as_deref())
        .expect("shasum is installed (Debian: the perl package; macOS: always)");
    let dir = tempfile::tempdir().expect("temp dir");
    symlink(&real, dir.path().join("shasum")).expect("symlink");
    let command = sha256_command_on(Some(dir.path().as_os_str())).expect("found");
    assert_eq!(command.get_program(), "shasum");
    assert_eq!(command.get_args().collect::<Vec<_>>(), ["-a", "256"]);

    let data = sample_data(200_000, 21);
    let stdout = Pipeline::spawn([rot13_command(), command])
        .expect("starts")
        .finish(&data)
        .expect("runs")
        .into_checked()
        .expect("both stages succeed");
    assert_eq!(parse_sha256sum(&stdout), Ok(sha256_hex(&rot13(&data))));
}

#[test]
fn missing_hash_names_both_programs() {
    let empty = bin_dir(&[]);
    // Not executable: the shell would not run it, so it does not count.
    let not_executable = empty.path().join("sha256sum");
    fs::write(&not_executable, "").expect("write");
    for path in [Some(empty.path().as_os_str()), None] {
        let error = sha256_command_on(path).expect_err("neither is there");
        assert!(matches!(error, RunError::NotFound { .. }), "{error:?}");
        let message = error.to_string();
        assert!(
            message.contains("sha256sum") && message.contains("shasum"),
            "{message}"
        );
    }
}
