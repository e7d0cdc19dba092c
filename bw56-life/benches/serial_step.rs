//! One serial generation without I/O (the pure rules) on grids of growing
//! size, and with 100 µs of I/O per cell on a small grid, where the time is
//! the I/O.

use std::hint::black_box;
use std::time::Duration;

use bw56_life::{CellIo, Grid, simulate};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn serial_step(c: &mut Criterion) {
    let mut group = c.benchmark_group("serial_step_cpu");
    for side in [32, 128, 512] {
        let grid = Grid::soup(side, side, 1);
        group.throughput(Throughput::Elements(grid.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(side), &grid, |b, grid| {
            b.iter(|| simulate(black_box(grid), &CellIo::none()).expect("no I/O, no failure"));
        });
    }
    group.finish();

    let mut group = c.benchmark_group("serial_step_io");
    group.sample_size(10);
    let grid = Grid::soup(10, 10, 1);
    let io = CellIo::new(Duration::from_micros(100));
    group.bench_function("10x10_100us", |b| {
        b.iter(|| simulate(black_box(&grid), &io).expect("no fault injected"));
    });
    group.finish();
}

criterion_group!(benches, serial_step);
criterion_main!(benches);
