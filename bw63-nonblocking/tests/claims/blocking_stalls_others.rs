//! A task that blocks delays the other tasks: fully on a current-thread
//! runtime, partly on a multi-thread one.
//!
//! The blocking here is real (`std::thread::sleep`), so time is not paused.
//! Only lower bounds are asserted, with a 5x margin: a blocked thread cannot
//! run anything before the block ends, however busy the machine is.

use std::time::Duration;

use bw63_nonblocking::{Flavor, measure_stall};

const BLOCK: Duration = Duration::from_millis(200);
const TICK: Duration = Duration::from_millis(5);
/// A fifth of the block: what "delayed by the block" must at least mean.
const DELAYED: Duration = Duration::from_millis(40);

#[test]
fn current_thread_block_delays_every_other_task() {
    let report = measure_stall(Flavor::CurrentThread, 1, BLOCK, TICK).expect("runtime builds");
    assert_eq!(report.peak_blocked, 1);
    assert!(report.heartbeat.max >= DELAYED, "{report:?}");
    assert!(report.spawned_first >= DELAYED, "{report:?}");
    assert!(report.spawned_last >= DELAYED, "{report:?}");
}

#[test]
fn multi_thread_last_spawned_task_waits_for_the_blocked_worker() {
    // The task a worker spawned last sits in that worker's LIFO slot, which
    // other workers never steal from: it waits for the whole block even
    // though another worker is free.
    let report =
        measure_stall(Flavor::MultiThread { workers: 2 }, 1, BLOCK, TICK).expect("runtime builds");
    assert_eq!(report.peak_blocked, 1);
    assert!(report.spawned_last >= DELAYED, "{report:?}");
}

#[test]
fn blocking_every_worker_stalls_a_multi_thread_runtime() {
    let report =
        measure_stall(Flavor::MultiThread { workers: 2 }, 2, BLOCK, TICK).expect("runtime builds");
    // Both workers were inside a blocking call at the same moment...
    assert_eq!(report.peak_blocked, 2, "{report:?}");
    // ...so nothing could run the heartbeat or the spawned tasks.
    assert!(report.heartbeat.max >= DELAYED, "{report:?}");
    assert!(report.spawned_last >= DELAYED, "{report:?}");
}
