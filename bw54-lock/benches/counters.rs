//! What exactness costs: the book's scenario (5 threads × 100,000 increments)
//! with a `Mutex`, a `fetch_add` and per-thread counting, plus the racy
//! load/store counter for reference (it is fast *and wrong*); then the price
//! of one increment on a single thread, where nothing contends.
//!
//! `cargo bench -p bw54-lock` takes well under a minute.

use std::hint::black_box;
use std::time::Duration;

use bw54_lock::{
    AtomicCounter, Counter, LockingCounter, RacyCounter, SharedCounter, count_locally,
    count_with_threads,
};
use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};

const THREADS: usize = 5;
const HOW_MANY: u64 = 100_000;

fn book_scenario(c: &mut Criterion) {
    let mut group = c.benchmark_group("five_threads_100k_each");
    // Each iteration starts five threads and does 500,000 increments (a few
    // milliseconds), so a flat handful of samples is plenty.
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .throughput(Throughput::Elements(THREADS as u64 * HOW_MANY));
    group.bench_function("mutex", |b| {
        b.iter(|| count_with_threads(&LockingCounter::new(), THREADS, black_box(HOW_MANY)));
    });
    group.bench_function("fetch_add", |b| {
        b.iter(|| count_with_threads(&AtomicCounter::new(), THREADS, black_box(HOW_MANY)));
    });
    group.bench_function("local_then_sum", |b| {
        b.iter(|| count_locally(THREADS, black_box(HOW_MANY)));
    });
    group.bench_function("racy_load_store_wrong", |b| {
        b.iter(|| count_with_threads(&RacyCounter::new(), THREADS, black_box(HOW_MANY)));
    });
    group.finish();
}

fn one_increment_uncontended(c: &mut Criterion) {
    let mut group = c.benchmark_group("one_increment_one_thread");
    group
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .throughput(Throughput::Elements(1));
    let mut plain = Counter::new();
    group.bench_function("plain_mut", |b| {
        b.iter(|| black_box(&mut plain).increment(black_box(1)));
    });
    let locking = LockingCounter::new();
    group.bench_function("mutex", |b| b.iter(|| locking.increment(black_box(1))));
    let atomic = AtomicCounter::new();
    group.bench_function("fetch_add", |b| b.iter(|| atomic.increment(black_box(1))));
    let racy = RacyCounter::new();
    group.bench_function("load_store", |b| b.iter(|| racy.increment(black_box(1))));
    group.finish();
}

criterion_group!(benches, book_scenario, one_increment_uncontended);
criterion_main!(benches);
