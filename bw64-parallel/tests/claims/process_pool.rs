//! The process pool: the same results as in-process, clear errors for a
//! missing program or a misbehaving worker, and no child left behind.

use std::path::{Path, PathBuf};

use bw64_parallel::{NUMBERS, PoolError, ProcessPool, serial};

/// This crate's binary, which becomes a worker with `--gcd-worker`.
fn worker_exe() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_bw64-parallel"))
}

/// True if no process with this pid exists any more (not even a zombie).
fn gone(pid: u32) -> bool {
    !course_support::testing::process_exists(pid).expect("the system says whether a process exists")
}

#[test]
fn process_pool_equals_serial() {
    for workers in [1, 2, 3] {
        let mut pool =
            ProcessPool::start(worker_exe(), &["--gcd-worker"], workers).expect("workers start");
        assert_eq!(pool.size(), workers);
        let pids = pool.pids();
        assert_eq!(pool.map(&NUMBERS).expect("map"), serial(&NUMBERS));
        assert!(pool.bytes_copied() > 0);
        pool.shutdown().expect("clean exit");
        assert!(pids.into_iter().all(gone), "every worker was reaped");
    }
}

#[test]
fn pool_can_map_several_times() {
    let mut pool = ProcessPool::start(worker_exe(), &["--gcd-worker"], 2).expect("workers start");
    let small = [(12, 18), (7, 5), (100, 75)];
    assert_eq!(pool.map(&small).expect("map"), [6, 1, 25]);
    assert_eq!(pool.map(&small[..1]).expect("map"), [6]);
    assert_eq!(pool.map(&[]).expect("map"), Vec::<u64>::new());
    pool.shutdown().expect("clean exit");
}

#[test]
fn missing_program_is_an_error_naming_it() {
    let program = PathBuf::from("/nonexistent/gcd-worker");
    let err = ProcessPool::start(&program, &[], 2).expect_err("cannot start");
    assert!(matches!(err, PoolError::Spawn { .. }));
    assert!(err.to_string().contains("/nonexistent/gcd-worker"), "{err}");
}

#[cfg_attr(windows, ignore = "plays a misbehaving worker with sh")]
#[test]
fn worker_without_handshake_is_reported_and_killed() {
    // `cat` echoes instead of saying "ready": it never answers first, so
    // make it say something else at once with `sh`.
    let err = ProcessPool::start(Path::new("sh"), &["-c", "echo hello; sleep 30"], 1)
        .expect_err("wrong handshake");
    assert!(err.to_string().contains("\"hello\""), "{err}");
}

#[cfg_attr(windows, ignore = "plays a misbehaving worker with sh")]
#[test]
fn worker_dying_mid_map_is_an_error_not_a_hang() {
    // Says ready, answers one line, then exits.
    let script = "echo ready; read line; echo 1; exit 3";
    let mut pool = ProcessPool::start(Path::new("sh"), &["-c", script], 1).expect("starts");
    let pids = pool.pids();
    let err = pool
        .map(&[(3, 5), (4, 6)])
        .expect_err("the worker exits after one answer");
    assert!(
        matches!(err, PoolError::Protocol { .. } | PoolError::Io { .. }),
        "{err}"
    );
    drop(pool);
    assert!(pids.into_iter().all(gone), "the dead worker was reaped");
}

#[cfg_attr(windows, ignore = "plays a misbehaving worker with sh")]
#[test]
fn worker_rejects_malformed_input_and_exits_nonzero() {
    let script = "echo ready; read line; echo not-a-number";
    let mut pool = ProcessPool::start(Path::new("sh"), &["-c", script], 1).expect("starts");
    let err = pool.map(&[(3, 5)]).expect_err("garbage answer");
    assert!(err.to_string().contains("not-a-number"), "{err}");
}

#[test]
fn real_worker_exits_nonzero_on_a_bad_request() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(worker_exe())
        .arg("--gcd-worker")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(b"12 18\nzero 0\n")
        .expect("write");
    let out = child.wait_with_output().expect("exits");
    assert!(!out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "ready\n6\n");
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"zero 0\""));
}
