//! What a child costs and what running children in parallel buys: spawning
//! and reaping one `true`; ten 20 ms `sleep` children one after another vs
//! all at once (the claim: about one child's time instead of ten); and the
//! throughput of streaming through `cat`.
//!
//! Children, signals and `sh` are Unix: elsewhere this benchmark is empty.

#[cfg(unix)]
criterion::criterion_main!(unix::benches);

#[cfg(not(unix))]
fn main() {}

#[cfg(unix)]
mod unix {
    use std::hint::black_box;
    use std::process::Command;
    use std::time::Duration;

    use bw52_subprocess::{
        pipe_through, run, run_in_parallel, run_sequentially, sample_data, sleep_command,
    };
    use criterion::{Criterion, Throughput, criterion_group};

    const CHILDREN: usize = 10;
    const SLEEP: Duration = Duration::from_millis(20);

    fn children(c: &mut Criterion) {
        let mut group = c.benchmark_group("spawn");
        group
            .sample_size(20)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(2));
        group.bench_function("run_true", |b| {
            b.iter(|| run(&mut Command::new("true")).expect("true succeeds"));
        });
        group.finish();

        let mut group = c.benchmark_group("ten_sleeps_20ms");
        group
            .sample_size(10)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(3));
        let commands = || (0..CHILDREN).map(|_| sleep_command(SLEEP));
        group.bench_function("sequential", |b| {
            b.iter(|| run_sequentially(commands()).expect("sleep succeeds"));
        });
        group.bench_function("parallel", |b| {
            b.iter(|| run_in_parallel(commands()).expect("sleep succeeds"));
        });
        group.finish();

        let mut group = c.benchmark_group("pipe_through_cat");
        group
            .sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(2));
        let data = sample_data(8 << 20, 1);
        group.throughput(Throughput::Bytes(data.len() as u64));
        group.bench_function("8MiB", |b| {
            b.iter(|| {
                pipe_through(&mut Command::new("cat"), black_box(&data)).expect("cat succeeds")
            });
        });
        group.finish();
    }

    criterion_group!(benches, children);
}
