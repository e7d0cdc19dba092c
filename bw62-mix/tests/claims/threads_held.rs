//! What an idle tailer costs: a whole thread in step 1, nothing but a small
//! future in step 3. Observed by counting the process's threads while 100
//! tailers are known to be running, so the counts are not a matter of timing.
//!
//! The count covers the whole process, and a test running beside this one
//! would add its own threads, so it runs alone in a process of its own.

use std::fs;
use std::sync::mpsc;
use std::time::Duration;

use bw62_mix::probe::os_threads;
use bw62_mix::tasks::{self, AsyncWriteFunc, tail_async};
use bw62_mix::{Stop, Workload, tail_file};

const TAILERS: usize = 100;

/// An async writer that reports each line on a std channel.
struct Report(mpsc::Sender<()>);

impl AsyncWriteFunc for Report {
    async fn write_async(&mut self, _line: &[u8]) -> std::io::Result<()> {
        self.0.send(()).map_err(std::io::Error::other)
    }
}

#[cfg_attr(windows, ignore = "threads are not counted on Windows")]
#[test]
fn idle_tasks_hold_no_thread_while_idle_threads_hold_one_each() {
    if !course_support::testing::alone_in_process(
        module_path!(),
        "idle_tasks_hold_no_thread_while_idle_threads_hold_one_each",
    ) {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs: Vec<_> = (0..TAILERS)
        .map(|index| {
            let name = Workload::file_name(index);
            let path = dir.path().join(&name);
            fs::write(&path, format!("{name} 0 only\n")).expect("input");
            path
        })
        .collect();
    // A long interval: once a tailer has sent its line it is idle.
    let interval = Duration::from_secs(60);

    // Step 3: a task per file on the capped runtime.
    let before = os_threads().expect("a thread count");
    let runtime = tasks::runtime().expect("runtime");
    let stop = Stop::new();
    let (seen_tx, seen_rx) = mpsc::channel();
    let handles: Vec<_> = inputs
        .iter()
        .map(|path| {
            let (path, stop, mut report) = (path.clone(), stop.clone(), Report(seen_tx.clone()));
            runtime.spawn(async move { tail_async(&path, interval, &stop, &mut report).await })
        })
        .collect();
    for _ in 0..TAILERS {
        seen_rx.recv().expect("every tailer reports its line");
    }
    // All 100 tailers have started and read their file. The runtime may use
    // its workers (one per core) and at most BLOCKING_THREADS for file I/O.
    let during = os_threads().expect("a thread count");
    let limit = before + course_support::cores() + tasks::BLOCKING_THREADS;
    assert!(
        during <= limit,
        "{TAILERS} idle tasks: {during} threads, expected at most {limit}"
    );
    stop.raise();
    for handle in handles {
        let lines = runtime.block_on(handle).expect("task").expect("tail");
        assert_eq!(lines, 1);
    }
    drop(runtime);

    // Step 1: a thread per file.
    let before = os_threads().expect("a thread count");
    let stop = Stop::new();
    std::thread::scope(|scope| {
        for path in &inputs {
            let (stop, seen_tx) = (&stop, seen_tx.clone());
            scope.spawn(move || {
                let mut write = |_line: &[u8]| seen_tx.send(()).map_err(std::io::Error::other);
                tail_file(path, interval, stop, &mut write).expect("tail")
            });
        }
        for _ in 0..TAILERS {
            seen_rx.recv().expect("every tailer reports its line");
        }
        let during = os_threads().expect("a thread count");
        assert!(
            during >= before + TAILERS,
            "{TAILERS} idle threads: {during} threads, {before} before"
        );
        stop.raise();
    });
}
