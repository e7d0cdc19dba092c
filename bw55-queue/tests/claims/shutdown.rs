//! Closing by dropping senders: the stages end in order, by themselves, with
//! no sentinel, and every thread is joined.

use std::time::Duration;

use bw55_queue::photos::{self, BOOK_WORKERS, Config};
use bw55_queue::pipeline::{Capacity, PipelineError};
use bw55_queue::work::Stages;
use crossbeam_channel::{RecvTimeoutError, unbounded};

#[test]
fn stages_close_in_order_without_a_sentinel() {
    for capacity in [
        Capacity::Bounded(1),
        Capacity::Bounded(64),
        Capacity::Unbounded,
    ] {
        for _ in 0..5 {
            let run = photos::run(
                0..1_000,
                &Stages::standard(),
                &Config {
                    workers: BOOK_WORKERS,
                    capacity,
                },
            )
            .expect("no stage panics");
            let stages = &run.shutdown.stages;
            let names: Vec<_> = stages.iter().map(|s| s.name).collect();
            assert_eq!(names, ["source", "download", "resize", "upload"]);
            // Every worker of a stage exited before any worker of the next:
            // a stage's input closes only when the last sender before it goes.
            for pair in stages.windows(2) {
                let last = pair[0].exits.iter().max().expect("workers");
                let first = pair[1].exits.iter().min().expect("workers");
                assert!(
                    last < first,
                    "{} ended after {} began ending",
                    pair[0].name,
                    pair[1].name
                );
            }
            let mut tickets: Vec<_> = stages.iter().flat_map(|s| s.exits.clone()).collect();
            tickets.sort_unstable();
            assert_eq!(tickets, (0..13).collect::<Vec<_>>());
        }
    }
}

#[test]
fn every_thread_is_joined_at_shutdown() {
    let run = photos::run(
        0..1_000,
        &Stages::standard(),
        &Config {
            workers: BOOK_WORKERS,
            capacity: Capacity::Bounded(4),
        },
    )
    .expect("no stage panics");
    assert_eq!(run.shutdown.threads_joined, 1 + 3 + 4 + 5);
    let per_stage: Vec<_> = run.shutdown.stages.iter().map(|s| s.items.len()).collect();
    assert_eq!(per_stage, [1, 3, 4, 5]);
}

#[test]
fn a_forgotten_sender_keeps_the_consumer_waiting() {
    let (jobs_tx, jobs_rx) = unbounded::<u32>();
    let forgotten = jobs_tx.clone();
    jobs_tx.send(1).expect("receiver alive");
    drop(jobs_tx);
    assert_eq!(jobs_rx.recv(), Ok(1));
    // One sender is still alive, so "empty" is not "finished": the receiver
    // can only time out. (This is the sentinel problem the channel solves —
    // as long as every sender is dropped.)
    assert_eq!(
        jobs_rx.recv_timeout(Duration::from_millis(20)),
        Err(RecvTimeoutError::Timeout)
    );
    drop(forgotten);
    // Now the channel knows it is over, at once, with no timeout involved.
    assert_eq!(
        jobs_rx.recv_timeout(Duration::from_secs(60)),
        Err(RecvTimeoutError::Disconnected)
    );
}

#[test]
fn buffered_items_are_drained_before_the_end_is_seen() {
    let (jobs_tx, jobs_rx) = crossbeam_channel::bounded::<u32>(3);
    for n in 0..3 {
        jobs_tx.send(n).expect("receiver alive");
    }
    drop(jobs_tx);
    // Closing does not throw away what is queued: iteration yields it all.
    assert_eq!(jobs_rx.iter().collect::<Vec<_>>(), [0, 1, 2]);
}

#[test]
fn bad_configurations_are_refused_with_a_named_error() {
    let zero_capacity = photos::run(
        0..10,
        &Stages::standard(),
        &Config {
            workers: BOOK_WORKERS,
            capacity: Capacity::Bounded(0),
        },
    )
    .expect_err("capacity 0 is refused");
    assert!(matches!(zero_capacity, PipelineError::ZeroCapacity));
    assert!(
        zero_capacity.to_string().contains("capacity 0"),
        "{zero_capacity}"
    );

    let no_workers = photos::run(
        0..10,
        &Stages::standard(),
        &Config {
            workers: [3, 0, 5],
            capacity: Capacity::Bounded(4),
        },
    )
    .expect_err("a stage without workers is refused");
    assert!(
        matches!(no_workers, PipelineError::NoWorkers { stage: "resize" }),
        "{no_workers}"
    );
}
