//! The two speedup claims of item 53, reproduced with criterion:
//!
//! - `factorize/{serial,threads}`: the book's four numbers, each factorized
//!   10 times, serially and with a thread per number (CPU work: Rust threads
//!   run in parallel, so on 2 cores the threads approach 2×);
//! - `blocking_calls/{serial,threads}`: five blocking receives with a 100 ms
//!   timeout on silent loopback TCP connections, serially and from five
//!   threads while the main thread computes helicopter locations (blocking
//!   I/O: the threads take about one call's time, ≥ 4× faster).
//!
//! Sample sizes are criterion's minimum (10) so `cargo bench -p
//! bw53-thread-io` finishes in well under a minute.

use std::hint::black_box;
use std::time::Duration;

use bw53_thread_io::{
    BOOK_NUMBERS, compute_helicopter_location, factorize_serial, factorize_threads, run_serial,
    run_threaded, slow_systemcall,
};
use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};

const REPEAT: u32 = 10;
const CALLS: usize = 5;
const TIMEOUT: Duration = Duration::from_millis(100);

fn factorize(c: &mut Criterion) {
    let mut group = c.benchmark_group("factorize");
    // About 0.1 s per serial iteration: flat sampling, one iteration count
    // for every sample, keeps ten samples within the measurement time.
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(4));
    group.bench_function("serial", |b| {
        b.iter(|| factorize_serial(black_box(&BOOK_NUMBERS), REPEAT));
    });
    group.bench_function("threads", |b| {
        b.iter(|| factorize_threads(black_box(&BOOK_NUMBERS), REPEAT));
    });
    group.finish();
}

fn blocking_calls(c: &mut Criterion) {
    let mut group = c.benchmark_group("blocking_calls");
    // Each iteration lasts 0.1–0.5 s: run each sample once ("flat") instead
    // of criterion's growing iteration counts, and give ten samples the time
    // they need.
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(6));
    let call = |_| slow_systemcall(TIMEOUT).expect("the socket never gets data");
    group.bench_function("serial", |b| b.iter(|| run_serial(CALLS, call)));
    group.bench_function("threads", |b| {
        b.iter(|| {
            run_threaded(CALLS, call, |index| {
                black_box(compute_helicopter_location(index));
            })
            .expect("five threads start")
        });
    });
    group.finish();
}

criterion_group!(benches, factorize, blocking_calls);
criterion_main!(benches);
