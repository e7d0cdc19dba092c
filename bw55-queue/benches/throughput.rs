//! Items per second end to end through download → resize → upload: the
//! polling `MyQueue` pipeline against the channel pipeline in several shapes.
//! Criterion reports the throughput in elements (items) per second.

use std::hint::black_box;
use std::time::Duration;

use bw55_queue::busy_queue::{self, IdleWait};
use bw55_queue::photos::{self, Config};
use bw55_queue::pipeline::Capacity;
use bw55_queue::work::Stages;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const ITEMS: u64 = 100_000;

fn pipelines(c: &mut Criterion) {
    let stages = Stages::standard();
    let mut group = c.benchmark_group("pipeline_100k_items");
    group.throughput(Throughput::Elements(ITEMS));
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));

    let channel_shapes = [
        ("channels_1-1-1_bounded64", [1, 1, 1], Capacity::Bounded(64)),
        (
            "channels_1-1-1_bounded1024",
            [1, 1, 1],
            Capacity::Bounded(1024),
        ),
        ("channels_3-4-5_bounded64", [3, 4, 5], Capacity::Bounded(64)),
        (
            "channels_3-4-5_bounded1024",
            [3, 4, 5],
            Capacity::Bounded(1024),
        ),
        ("channels_3-4-5_unbounded", [3, 4, 5], Capacity::Unbounded),
    ];
    for (name, workers, capacity) in channel_shapes {
        let config = Config { workers, capacity };
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                let run = photos::run(0..ITEMS, &stages, &config).expect("no stage panics");
                assert_eq!(run.receipts.len() as u64, ITEMS);
                black_box(run)
            });
        });
    }

    for (name, idle) in [
        (
            "polling_sleep10ms",
            IdleWait::Sleep(Duration::from_millis(10)),
        ),
        ("polling_spin", IdleWait::Yield),
    ] {
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                let run = busy_queue::run(0..ITEMS, &stages, idle);
                assert_eq!(run.receipts.len() as u64, ITEMS);
                black_box(run)
            });
        });
    }
    group.finish();

    // A buffer of one hands every item over between sleeping threads; it is
    // about a hundred times slower, so it gets fewer items.
    let mut group = c.benchmark_group("pipeline_10k_items");
    group.throughput(Throughput::Elements(ITEMS / 10));
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));
    let config = Config {
        workers: [1, 1, 1],
        capacity: Capacity::Bounded(1),
    };
    group.bench_function(
        BenchmarkId::from_parameter("channels_1-1-1_bounded1"),
        |b| {
            b.iter(|| {
                let run = photos::run(0..ITEMS / 10, &stages, &config).expect("no stage panics");
                assert_eq!(run.receipts.len() as u64, ITEMS / 10);
                black_box(run)
            });
        },
    );
    group.finish();
}

criterion_group!(benches, pipelines);
criterion_main!(benches);
