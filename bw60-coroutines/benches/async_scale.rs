//! One generation with 1 ms of I/O per cell, at 100,000 and 1,000,000 cells:
//! the course's targets for item 60 (tokio: ≤ 0.15 s and ≤ 1.0 s), with the
//! other runtimes and the spawning fan-out beside them.
//!
//! Peak memory per cell is not something criterion measures; the demo's
//! `--scale` run and `tests/claims/footprint.rs` measure it in fresh processes.

use std::hint::black_box;
use std::time::Duration;

use bw56_life::{CellIo, Grid, Serial, Strategy};
use bw60_coroutines::{ASYNC_STRATEGIES, CellStep, Fanout, async_strategy};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn one_generation(c: &mut Criterion) {
    let io = CellIo::new(Duration::from_millis(1));
    let mut group = c.benchmark_group("one generation, 1ms I/O per cell");
    // Each iteration is a whole generation (0.05-1 s): ten samples are enough
    // to see the spread, and keep the whole run near a minute.
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));
    for (height, width) in [(250, 400), (1000, 1000)] {
        let grid = Grid::soup(height, width, 1);
        let expected = Serial
            .step(&grid, &CellIo::none())
            .expect("the rules alone cannot fail");
        let mut candidates = vec![("tokio", Fanout::Spawn)];
        if grid.len() <= 100_000 {
            // Every runtime at 100,000 cells; at a million only tokio, the
            // runtime the course's target names, in both fan-outs.
            candidates.extend(ASYNC_STRATEGIES.map(|name| (name, Fanout::Join)));
        } else {
            candidates.push(("tokio", Fanout::Join));
        }
        for (name, fanout) in candidates {
            let mut strategy =
                async_strategy(name, fanout, CellStep::AsyncNeighbors).expect("the runtime starts");
            // Verified once before it is timed.
            assert_eq!(strategy.step(&grid, &io).expect("no faults"), expected);
            group.bench_with_input(
                BenchmarkId::new(strategy.name(), grid.len()),
                &grid,
                |b, grid| b.iter(|| black_box(strategy.step(grid, &io).expect("no faults"))),
            );
        }
    }
    group.finish();
}

criterion_group!(benches, one_generation);
criterion_main!(benches);
