//! Every item goes in once and comes out once, with the right result, whatever
//! the shape of the pipeline.

use bw55_queue::busy_queue::{self, IdleWait};
use bw55_queue::photos::{self, BOOK_WORKERS, Config};
use bw55_queue::pipeline::Capacity;
use bw55_queue::work::{Stages, check_receipts};

fn channel_run(items: u64, workers: [usize; 3], capacity: Capacity) {
    let run = photos::run(0..items, &Stages::standard(), &Config { workers, capacity })
        .expect("no stage panics");
    assert_eq!(
        check_receipts(&run.receipts, items),
        Ok(()),
        "{workers:?} {capacity}"
    );
    // Every stage handled every item, and the counts agree with the channels.
    for stage in &run.shutdown.stages {
        assert_eq!(stage.total() as u64, items, "stage {}", stage.name);
        if let Some(input) = stage.input {
            assert_eq!(input.sent as u64, items, "into stage {}", stage.name);
        }
    }
    assert_eq!(run.shutdown.output.sent as u64, items);
}

#[test]
fn all_items_arrive_exactly_once_1000() {
    channel_run(1_000, BOOK_WORKERS, Capacity::Bounded(1));
    channel_run(1_000, [1, 1, 1], Capacity::Bounded(1));
    channel_run(1_000, BOOK_WORKERS, Capacity::Bounded(8));
    channel_run(1_000, BOOK_WORKERS, Capacity::Unbounded);
}

#[test]
fn all_items_arrive_exactly_once_100_000() {
    channel_run(100_000, BOOK_WORKERS, Capacity::Bounded(64));
    channel_run(100_000, [1, 1, 1], Capacity::Bounded(16));
    channel_run(100_000, [2, 7, 1], Capacity::Unbounded);
}

#[test]
fn an_empty_input_shuts_down_cleanly() {
    let run = photos::run(
        std::iter::empty(),
        &Stages::standard(),
        &Config {
            workers: BOOK_WORKERS,
            capacity: Capacity::Bounded(1),
        },
    )
    .expect("nothing to fail on");
    assert!(run.receipts.is_empty());
    assert_eq!(run.shutdown.threads_joined, 13);
}

#[test]
fn polling_pipeline_delivers_every_item_exactly_once() {
    for idle in [
        IdleWait::Yield,
        IdleWait::Sleep(std::time::Duration::from_micros(100)),
    ] {
        let run = busy_queue::run(0..1_000, &Stages::standard(), idle);
        assert_eq!(check_receipts(&run.receipts, 1_000), Ok(()), "{idle}");
        for worker in run.workers {
            assert_eq!(worker.work_done, 1_000, "{}", worker.name);
        }
    }
}

/// Many shapes, many items: run by CI with `--ignored`.
#[test]
#[ignore = "stress: a few seconds; run with --ignored"]
fn many_shapes_deliver_every_item_exactly_once_stress() {
    let shapes = [[1, 1, 1], BOOK_WORKERS, [2, 7, 1], [8, 1, 8]];
    let capacities = [
        Capacity::Bounded(1),
        Capacity::Bounded(2),
        Capacity::Bounded(64),
        Capacity::Unbounded,
    ];
    for workers in shapes {
        for capacity in capacities {
            // Tiny buffers hand every item over between sleeping threads,
            // which is slow; they get fewer items.
            let items = match capacity {
                Capacity::Bounded(c) if c < 64 => 20_000,
                _ => 200_000,
            };
            channel_run(items, workers, capacity);
        }
    }
}
