//! With one worker per stage every channel is first in, first out, so the
//! results leave in the order the items entered.

use bw55_queue::photos::{self, Config};
use bw55_queue::pipeline::{Capacity, Pipeline};
use bw55_queue::work::{Stages, process};

#[test]
fn one_worker_per_stage_preserves_order() {
    // A buffer of one makes every item a handoff between sleeping threads,
    // which is slow on a busy machine; 10,000 items show the order as well.
    for (items, capacity) in [
        (10_000, Capacity::Bounded(1)),
        (100_000, Capacity::Bounded(64)),
        (100_000, Capacity::Unbounded),
    ] {
        let run = photos::run(
            0..items,
            &Stages::standard(),
            &Config {
                workers: [1, 1, 1],
                capacity,
            },
        )
        .expect("no stage panics");
        let expected: Vec<_> = (0..items).map(process).collect();
        assert!(run.receipts == expected, "out of order with {capacity}");
    }
}

#[test]
fn a_longer_chain_of_single_workers_preserves_order() {
    let mut out = Vec::new();
    std::thread::scope(|s| {
        let mut pipeline = Pipeline::new(s, Capacity::Bounded(3))?;
        let mut stream = pipeline.source(0..10_000_u32)?;
        for name in ["a", "b", "c", "d", "e", "f"] {
            stream = pipeline.stage(name, 1, stream, |n| n)?;
        }
        pipeline.finish(stream, |n| out.push(n))
    })
    .expect("identity stages cannot fail");
    assert!(out.iter().copied().eq(0..10_000));
}

#[test]
fn several_workers_may_reorder_but_lose_nothing() {
    let run = photos::run(
        0..20_000,
        &Stages::standard(),
        &Config {
            workers: [3, 4, 5],
            capacity: Capacity::Bounded(16),
        },
    )
    .expect("no stage panics");
    let mut ids: Vec<u64> = run.receipts.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    assert!(ids.iter().copied().eq(0..20_000));
}
