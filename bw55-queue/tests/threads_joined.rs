//! The operating system's own view: while the pipeline runs, its threads are
//! listed in `/proc/self/task`; after `finish`, they are gone.
//!
//! This file holds one test, so no other test's threads share the process.

use std::fs;
use std::time::{Duration, Instant};

use bw55_queue::pipeline::{Capacity, Pipeline};

/// The threads of this process, as the kernel lists them: `(count, names of
/// the ones that belong to this test's pipeline)`.
fn threads() -> (usize, Vec<String>) {
    let mut count = 0;
    let mut ours = Vec::new();
    for entry in fs::read_dir("/proc/self/task").expect("Linux lists a process's threads here") {
        count += 1;
        let path = entry.expect("a task entry").path().join("comm");
        // A thread can end between listing and reading; then it is gone.
        if let Ok(name) = fs::read_to_string(path) {
            let name = name.trim().to_owned();
            if name == "source" || name.starts_with("q55-") {
                ours.push(name);
            }
        }
    }
    ours.sort();
    (count, ours)
}

#[test]
fn no_pipeline_thread_outlives_finish() {
    let (before, ours) = threads();
    assert_eq!(ours, Vec::<String>::new());

    let mut while_running = None;
    let shutdown = std::thread::scope(|s| {
        // A buffer of one holds the source back: when the first result
        // arrives, it cannot have sent all 10,000 items, and no worker can
        // have ended, so every thread exists. (A thread that has not run
        // yet may still carry its parent's name, so the count is what is
        // compared, not the names.)
        let mut pipeline = Pipeline::new(s, Capacity::Bounded(1))?;
        let ids = pipeline.source(0..10_000_u64)?;
        let a = pipeline.stage("q55-a", 3, ids, |n| n + 1)?;
        let b = pipeline.stage("q55-b", 4, a, |n| n * 2)?;
        let c = pipeline.stage("q55-c", 5, b, |n| n - 1)?;
        pipeline.finish(c, |_| {
            if while_running.is_none() {
                while_running = Some(threads().0);
            }
        })
    })
    .expect("no stage panics");
    assert_eq!(shutdown.threads_joined, 13);
    assert_eq!(while_running, Some(before + 13));

    // Every thread has been joined: its code has returned. The kernel may
    // take a moment more to remove an exited thread from its list, so look
    // until it has (a minute is far beyond what that takes).
    let deadline = Instant::now() + Duration::from_secs(60);
    let (mut after, mut ours) = threads();
    while after != before && Instant::now() < deadline {
        std::thread::yield_now();
        (after, ours) = threads();
    }
    assert_eq!(after, before, "threads still listed: {ours:?}");
    assert_eq!(ours, Vec::<String>::new());
}
