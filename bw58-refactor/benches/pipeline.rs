//! The pipeline against a thread per cell: one generation of 400 cells with
//! 1 ms of I/O per call (the pipelines' workers are created once, outside
//! the measured loop, as they are meant to be), and the cost of the channel
//! round trips alone — no I/O, 1,024 cells — for several channel capacities.

use std::hint::black_box;
use std::time::Duration;

use bw56_life::{CellIo, Grid, Serial, Strategy};
use bw57_fanout::ThreadPerCell;
use bw58_refactor::{Pipeline, TwoPhasePipeline};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn pipeline(c: &mut Criterion) {
    let io = CellIo::new(Duration::from_millis(1));
    let grid = Grid::soup(20, 20, 7);
    let mut group = c.benchmark_group("generation_1ms_io_400_cells");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));
    let strategies: [(String, Box<dyn Strategy>); 3] = [
        (
            "thread-per-cell".to_owned(),
            Box::new(ThreadPerCell::default()),
        ),
        ("pipeline(10)".to_owned(), Box::new(Pipeline::new(10))),
        (
            "pipeline-2phase(10+10)".to_owned(),
            Box::new(TwoPhasePipeline::new(10)),
        ),
    ];
    for (label, mut strategy) in strategies {
        group.bench_function(label, |b| {
            b.iter(|| {
                strategy
                    .step(black_box(&grid), &io)
                    .expect("no fault injected")
            });
        });
    }
    group.finish();

    let none = CellIo::none();
    let grid = Grid::soup(32, 32, 7);
    let mut group = c.benchmark_group("generation_no_io_1024_cells");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    group.throughput(Throughput::Elements(grid.len() as u64));
    group.bench_function("serial", |b| {
        b.iter(|| {
            Serial
                .step(black_box(&grid), &none)
                .expect("no fault injected")
        });
    });
    for capacity in [0, 1, 16, 1024] {
        let mut pipeline = Pipeline::with_capacity(2, capacity);
        group.bench_with_input(
            BenchmarkId::new("pipeline(2)/capacity", capacity),
            &grid,
            |b, grid| {
                b.iter(|| {
                    pipeline
                        .step(black_box(grid), &none)
                        .expect("no fault injected")
                });
            },
        );
    }
    let mut thread_per_cell = ThreadPerCell::default();
    group.bench_function("thread-per-cell", |b| {
        b.iter(|| {
            thread_per_cell
                .step(black_box(&grid), &none)
                .expect("no fault injected")
        });
    });
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
