//! A bounded channel holds a producer to its consumers' pace: it is never
//! more than `capacity + workers` items ahead (the buffer, plus one item in
//! each worker's hands). An unbounded one lets it run as far ahead as it likes.

use std::sync::Mutex;

use bw55_queue::photos::{self, Config};
use bw55_queue::pipeline::{Capacity, Pipeline, Shutdown};
use bw55_queue::work::{Stages, check_receipts};
use crossbeam_channel::{Sender, unbounded};

/// Runs `items` numbers through one stage of `workers` whose workers all
/// wait at a gate; the gate opens (its sender is dropped) when the source
/// asks for item number `open_at` (0-based). Returns the pipeline's report.
fn gated(capacity: Capacity, workers: usize, items: u32, open_at: u32) -> Shutdown {
    let (gate_tx, gate_rx) = unbounded::<()>();
    let gate: Mutex<Option<Sender<()>>> = Mutex::new(Some(gate_tx));
    let open = || drop(gate.lock().expect("not poisoned").take());
    // `next()` for item `open_at` is called only after every earlier send has
    // returned, so the items before it are all in the channel or in a
    // worker's hands when the gate opens. Asking past the end opens it too.
    let source = (0..items)
        .inspect(|&i| {
            if i == open_at {
                open();
            }
        })
        .chain(std::iter::from_fn(|| {
            open();
            None
        }));
    let mut received = 0;
    let shutdown = std::thread::scope(|s| {
        let mut pipeline = Pipeline::new(s, capacity)?;
        let numbers = pipeline.source(source)?;
        let passed = pipeline.stage("gated", workers, numbers, |n| {
            // Blocks until the gate's only sender is dropped; then `Err`
            // at once, for every later item too.
            let _ = gate_rx.recv();
            n
        })?;
        pipeline.finish(passed, |_| received += 1)
    })
    .expect("the stage does not panic");
    assert_eq!(received, items);
    shutdown
}

#[test]
fn bounded_producer_is_exactly_capacity_plus_workers_ahead_of_a_stalled_stage() {
    for capacity in [1, 2, 5, 32] {
        for workers in [1, 3, 4] {
            let limit = capacity + workers;
            let shutdown = gated(
                Capacity::Bounded(capacity),
                workers,
                (limit + 50) as u32,
                limit as u32,
            );
            let input = shutdown.stages[1].input.expect("the stage reads a channel");
            // The source got exactly as far as the bound allows: `capacity`
            // items queued and one held by each stalled worker.
            assert_eq!(
                input.max_ahead, limit,
                "capacity {capacity}, workers {workers}"
            );
            assert_eq!(
                input.max_queued, capacity,
                "capacity {capacity}, workers {workers}"
            );
        }
    }
}

#[test]
fn unbounded_producer_runs_all_the_way_ahead_of_a_stalled_stage() {
    let items = 10_000;
    // The gate opens only after the last item was sent.
    let shutdown = gated(Capacity::Unbounded, 3, items, items);
    let input = shutdown.stages[1].input.expect("the stage reads a channel");
    assert_eq!(input.max_ahead, items as usize);
    // All but the (at most three) items the workers had taken were waiting.
    assert!(input.max_queued >= items as usize - 3, "{input:?}");
}

#[test]
fn bounded_producer_is_never_more_than_capacity_plus_workers_ahead() {
    for capacity in [1, 2, 16] {
        for workers in [[1, 1, 1], [3, 4, 5]] {
            // A slow resize makes the channels in front of it fill up.
            let run = photos::run(
                0..5_000,
                &Stages::with_slow_resize(8),
                &Config {
                    workers,
                    capacity: Capacity::Bounded(capacity),
                },
            )
            .expect("no stage panics");
            assert_eq!(check_receipts(&run.receipts, 5_000), Ok(()));
            for stage in &run.shutdown.stages {
                let Some(input) = stage.input else { continue };
                let limit = capacity + stage.items.len();
                assert!(
                    input.max_ahead <= limit,
                    "stage {} got {} ahead, limit {limit}",
                    stage.name,
                    input.max_ahead
                );
                assert!(input.max_queued <= capacity, "stage {}", stage.name);
            }
            assert!(run.shutdown.output.max_queued <= capacity);
        }
    }
}
