//! The operating system's own view: while the pipeline runs, the process has
//! its 13 threads more; after `finish`, they are gone.
//!
//! The count covers the whole process, so the test runs alone in one.

use std::time::{Duration, Instant};

use bw55_queue::pipeline::{Capacity, Pipeline};

/// The threads of this process, as the operating system counts them.
fn threads() -> usize {
    course_support::threads::count().expect("the system counts this process's threads")
}

#[cfg_attr(windows, ignore = "threads are not counted on Windows")]
#[test]
fn no_pipeline_thread_outlives_finish() {
    if !course_support::testing::alone_in_process(
        module_path!(),
        "no_pipeline_thread_outlives_finish",
    ) {
        return;
    }
    let before = threads();

    let mut while_running = None;
    let shutdown = std::thread::scope(|s| {
        // A buffer of one holds the source back: when the first result
        // arrives, it cannot have sent all 10,000 items, and no worker can
        // have ended, so every thread exists.
        let mut pipeline = Pipeline::new(s, Capacity::Bounded(1))?;
        let ids = pipeline.source(0..10_000_u64)?;
        let a = pipeline.stage("q55-a", 3, ids, |n| n + 1)?;
        let b = pipeline.stage("q55-b", 4, a, |n| n * 2)?;
        let c = pipeline.stage("q55-c", 5, b, |n| n - 1)?;
        pipeline.finish(c, |_| {
            if while_running.is_none() {
                while_running = Some(threads());
            }
        })
    })
    .expect("no stage panics");
    assert_eq!(shutdown.threads_joined, 13);
    assert_eq!(while_running, Some(before + 13));

    // Every thread has been joined: its code has returned. The system may
    // take a moment more to stop counting an exited thread, so look until it
    // has (a minute is far beyond what that takes).
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut after = threads();
    while after != before && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
        after = threads();
    }
    assert_eq!(after, before, "pipeline threads still counted after finish");
}
