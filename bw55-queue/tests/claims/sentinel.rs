//! The book's sentinel discipline, run on purpose: one sentinel per worker
//! and the stages closed in order end the pipeline; one sentinel short leaves
//! a worker waiting, which the watchdog reports before it repairs the run.

use std::time::Duration;

use bw55_queue::sentinel::{self, STAGES, Stuck};
use bw55_queue::work::check_receipts;

#[test]
fn one_sentinel_per_worker_ends_every_stage() {
    for workers in [[1, 1, 1], [3, 4, 5], [2, 1, 3]] {
        // A generous deadline: here nothing is stuck, and a busy machine must
        // not make a finishing worker look like one.
        let run = sentinel::run(2_000, workers, None, Duration::from_secs(30));
        check_receipts(&run.receipts, 2_000).expect("every item exactly once");
        assert_eq!(run.stuck, None, "{workers:?}");
        assert_eq!(run.sentinels, workers, "exactly one sentinel per worker");
        assert_eq!(run.joined, workers.iter().sum::<usize>());
    }
}

#[test]
fn a_missing_sentinel_leaves_a_worker_waiting() {
    for (stage, workers) in [(0, [3, 4, 5]), (1, [3, 4, 5]), (2, [1, 1, 1])] {
        let run = sentinel::run(500, workers, Some(stage), Duration::from_millis(200));
        // Without its sentinel a worker can only wait: whatever the machine
        // is doing, it is still waiting at the deadline.
        let Some(Stuck {
            stage: name,
            waiting,
            workers: total,
        }) = run.stuck
        else {
            panic!("stage {} ended without all its sentinels", STAGES[stage]);
        };
        assert_eq!(name, STAGES[stage]);
        assert_eq!(total, workers[stage]);
        assert!(waiting >= 1, "{waiting} waiting");
        // The items still all arrive, and the repaired run joins every thread.
        check_receipts(&run.receipts, 500).expect("every item exactly once");
        assert_eq!(run.joined, workers.iter().sum::<usize>());
    }
}
