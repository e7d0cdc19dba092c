//! What a thread per cell costs: one generation without I/O (the time is all
//! thread creation and joining) on 100, 1,000 and 10,000 cells against the
//! serial loop, and one generation of 100 cells with 1 ms of I/O, where the
//! threads win. Before the timings it prints the peak memory of one
//! generation per size, which criterion does not measure.

use std::hint::black_box;
use std::time::Duration;

use bw56_life::{CellIo, Grid, Serial, Strategy};
use bw57_fanout::cost::measure_cost;
use bw57_fanout::{Scoped, ThreadPerCell};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const SIZES: [(usize, usize); 3] = [(10, 10), (25, 40), (100, 100)];

fn print_memory() {
    let io = CellIo::new(Duration::from_millis(1));
    eprintln!("peak memory of one thread-per-cell generation with 1 ms of I/O:");
    for (height, width) in SIZES {
        let grid = Grid::soup(height, width, 7);
        let cost = measure_cost(ThreadPerCell::new, &grid, &io).expect("no fault injected");
        eprintln!(
            "  {:>6} cells: {:>7.1} ms, peak {}, {} running at once",
            cost.cells,
            cost.elapsed.as_secs_f64() * 1e3,
            match (cost.peak_growth_kib, cost.kib_per_thread()) {
                (Some(kib), Some(per_thread)) => format!(
                    "+{:.1} MiB ({per_thread:.1} KiB per thread)",
                    kib as f64 / 1024.0
                ),
                _ => "not measurable here".to_owned(),
            },
            cost.peak_threads
        );
    }
}

fn spawn_join(c: &mut Criterion) {
    print_memory();

    let none = CellIo::none();
    let mut group = c.benchmark_group("generation_no_io");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    for (height, width) in SIZES {
        let grid = Grid::soup(height, width, 7);
        let cells = grid.len();
        group.throughput(Throughput::Elements(cells as u64));
        let strategies: [Box<dyn Strategy>; 3] = [
            Box::new(Serial),
            Box::new(ThreadPerCell::default()),
            Box::new(Scoped::default()),
        ];
        for mut strategy in strategies {
            group.bench_with_input(
                BenchmarkId::new(strategy.name(), cells),
                &grid,
                |b, grid| {
                    b.iter(|| {
                        strategy
                            .step(black_box(grid), &none)
                            .expect("no fault injected")
                    });
                },
            );
        }
    }
    group.finish();

    let io = CellIo::new(Duration::from_millis(1));
    let grid = Grid::soup(10, 10, 7);
    let mut group = c.benchmark_group("generation_1ms_io_100_cells");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    let strategies: [Box<dyn Strategy>; 3] = [
        Box::new(Serial),
        Box::new(ThreadPerCell::default()),
        Box::new(Scoped::default()),
    ];
    for mut strategy in strategies {
        group.bench_function(strategy.name(), |b| {
            b.iter(|| {
                strategy
                    .step(black_box(&grid), &io)
                    .expect("no fault injected")
            });
        });
    }
    group.finish();
}

criterion_group!(benches, spawn_join);
criterion_main!(benches);
