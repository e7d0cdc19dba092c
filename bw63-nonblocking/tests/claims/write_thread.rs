//! The writer thread: everything written, in order, flushed on close; the
//! thread gone after close; a write afterwards an error at once; a bad path an
//! error at start.

use std::time::Duration;

use bw63_nonblocking::{DiskCost, WriteError, WriteThread};
use tokio::sync::mpsc;

/// Generous: only here so that a hang fails the test instead of stalling it.
const NO_HANG: Duration = Duration::from_secs(10);

fn lines_of(path: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .expect("output readable")
        .lines()
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn all_lines_are_written_in_order_and_flushed_on_close() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("out.log");
    let output = WriteThread::start(&path, DiskCost::Buffered)
        .await
        .expect("starts");
    let expected: Vec<String> = (0..2_000).map(|n| format!("line {n}")).collect();
    for line in &expected {
        output.write(line.as_str()).await.expect("written");
    }
    // 2,000 short lines fit in the 8 KiB buffer only partly; whatever is still
    // buffered must reach the file through `close`.
    let stats = output.close().await.expect("closes");
    assert_eq!(stats.lines, 2_000);
    assert_eq!(lines_of(&path), expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writers_each_keep_their_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("out.log");
    let output = WriteThread::start(&path, DiskCost::Buffered)
        .await
        .expect("starts");
    let mut tasks = tokio::task::JoinSet::new();
    for task in 0..4 {
        let writer = output.writer();
        tasks.spawn(async move {
            for n in 0..250 {
                writer.write(format!("{task} {n}")).await.expect("written");
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("no panic");
    }
    output.close().await.expect("closes");

    let mut next = [0; 4];
    for line in lines_of(&path) {
        let (task, n) = line.split_once(' ').expect("two fields");
        let task: usize = task.parse().expect("task number");
        assert_eq!(
            n.parse::<usize>().expect("line number"),
            next[task],
            "{line}"
        );
        next[task] += 1;
    }
    assert_eq!(next, [250; 4]);
}

#[tokio::test]
async fn the_thread_has_exited_after_close() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = WriteThread::start(dir.path().join("out.log"), DiskCost::Buffered)
        .await
        .expect("starts");
    let exit = output.exit_signal();
    output.write("one").await.expect("written");
    // The thread is waiting for requests: alive.
    assert!(!exit.has_exited());
    output.close().await.expect("closes");
    // `close` joined the thread, so its exit flag is already set.
    assert!(exit.has_exited());
}

#[tokio::test]
async fn a_write_after_close_is_an_error_not_a_hang() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = WriteThread::start(dir.path().join("out.log"), DiskCost::Buffered)
        .await
        .expect("starts");
    let writer = output.writer();
    output.close().await.expect("closes");
    let late = tokio::time::timeout(NO_HANG, writer.write("too late"))
        .await
        .expect("a write after close must not hang");
    assert!(matches!(late, Err(WriteError::Closed)), "{late:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn close_during_writes_loses_no_acknowledged_line() {
    // Writers keep writing (each line costs 1 ms on the writer thread) while
    // `close` runs. Every write must end one of two ways: acknowledged and in
    // the file, or refused with `Closed`. Nothing in between, nothing hangs.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("out.log");
    let output = WriteThread::start(&path, DiskCost::SlowDisk(Duration::from_millis(1)))
        .await
        .expect("starts");
    let (progress_tx, mut progress_rx) = mpsc::unbounded_channel();
    let mut tasks = tokio::task::JoinSet::new();
    for task in 0..4 {
        let writer = output.writer();
        let progress_tx = progress_tx.clone();
        tasks.spawn(async move {
            let mut acknowledged = 0usize;
            loop {
                match writer.write(format!("{task} {acknowledged}")).await {
                    Ok(()) => {
                        acknowledged += 1;
                        let _ = progress_tx.send(());
                    }
                    Err(WriteError::Closed) => return (task, acknowledged),
                    Err(other) => panic!("unexpected error: {other}"),
                }
            }
        });
    }
    drop(progress_tx);
    // Close only once some lines are through, so the race is real.
    for _ in 0..20 {
        progress_rx.recv().await.expect("writers are running");
    }
    let stats = tokio::time::timeout(NO_HANG, output.close())
        .await
        .expect("close must not hang")
        .expect("closes");

    let mut acknowledged = [0usize; 4];
    while let Some(done) = tasks.join_next().await {
        let (task, count) = done.expect("no panic");
        acknowledged[task] = count;
    }
    let mut in_file = [0usize; 4];
    for line in lines_of(&path) {
        let (task, n) = line.split_once(' ').expect("two fields");
        let task: usize = task.parse().expect("task number");
        assert_eq!(
            n.parse::<usize>().expect("line number"),
            in_file[task],
            "{line}"
        );
        in_file[task] += 1;
    }
    assert_eq!(in_file, acknowledged);
    assert_eq!(stats.lines as usize, acknowledged.iter().sum::<usize>());
}

#[tokio::test]
async fn dropping_without_close_still_drains_and_flushes_detached() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("out.log");
    let output = WriteThread::start(&path, DiskCost::Buffered)
        .await
        .expect("starts");
    let exit = output.exit_signal();
    let writer = output.writer();
    for n in 0..100 {
        output.write(format!("line {n}")).await.expect("written");
    }
    // No `close`: `Drop` warns on stderr and detaches the thread.
    drop(output);
    // Nobody joins it, but it still finishes its work and exits.
    tokio::time::timeout(NO_HANG, exit.exited())
        .await
        .expect("the detached thread exits");
    assert_eq!(lines_of(&path).len(), 100);
    assert!(matches!(
        writer.write("late").await,
        Err(WriteError::Closed)
    ));
}

#[tokio::test]
async fn a_bad_path_fails_at_start_naming_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("missing-dir").join("out.log");
    let err = WriteThread::start(&path, DiskCost::Buffered)
        .await
        .expect_err("the directory does not exist");
    assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
    assert!(err.to_string().contains("missing-dir"), "{err}");
}

#[tokio::test]
async fn a_failed_write_is_reported_and_the_writer_carries_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("out.log");
    let output = WriteThread::start(&path, DiskCost::Buffered)
        .await
        .expect("starts");
    let bad = output.write("two\nlines").await;
    assert!(
        matches!(&bad, Err(WriteError::Io(e)) if e.kind() == std::io::ErrorKind::InvalidInput),
        "{bad:?}"
    );
    output.write("fine").await.expect("written");
    output.close().await.expect("closes");
    assert_eq!(lines_of(&path), ["fine"]);
}
