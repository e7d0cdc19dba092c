//! Speedups of item 64 on this machine: the book's gcd serially, on 2 std
//! threads, on rayon(2) and on a process pool of 2; and one CPU-bound Life
//! generation on a 2048×2048 grid, serial vs rayon(2).

use std::path::PathBuf;
use std::time::Duration;

use bw56_life::{CellIo, Grid, Serial, Strategy};
use bw64_parallel::{NUMBERS, ProcessPool, RayonLife, rayon_pool, serial, std_threads};
use criterion::{Criterion, criterion_group, criterion_main};

/// The lesson's binary, built next to the bench by `cargo bench` (the
/// process pool's workers are copies of it).
fn worker_exe() -> Option<PathBuf> {
    let deps = std::env::current_exe().ok()?;
    let exe = deps.parent()?.parent()?.join("bw64-parallel");
    exe.exists().then_some(exe)
}

fn gcd(c: &mut Criterion) {
    let mut group = c.benchmark_group("gcd_ten_pairs");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.bench_function("serial", |b| b.iter(|| serial(&NUMBERS)));
    group.bench_function("std_threads(2)", |b| b.iter(|| std_threads(&NUMBERS, 2)));
    group.bench_function("rayon(2)", |b| {
        b.iter(|| rayon_pool(&NUMBERS, 2).expect("pool"))
    });
    if let Some(exe) = worker_exe() {
        group.bench_function("process_pool(2)_with_startup", |b| {
            b.iter(|| {
                let mut pool = ProcessPool::start(&exe, &["--gcd-worker"], 2).expect("workers");
                let results = pool.map(&NUMBERS).expect("map");
                pool.shutdown().expect("clean exit");
                results
            });
        });
    } else {
        eprintln!("bw64-parallel binary not found next to the bench; skipping the process pool");
    }
    group.finish();
}

fn life(c: &mut Criterion) {
    let mut group = c.benchmark_group("life_2048x2048_cpu");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    let grid = Grid::soup(2048, 2048, 64);
    let io = CellIo::none();
    group.bench_function("serial", |b| {
        b.iter(|| Serial.step(&grid, &io).expect("no fault"))
    });
    let mut rayon = RayonLife::new(2).expect("pool");
    group.bench_function("rayon(2)", |b| {
        b.iter(|| rayon.step(&grid, &io).expect("no fault"))
    });
    group.finish();
}

criterion_group!(benches, gcd, life);
criterion_main!(benches);
