//! How late a 1 ms timer fires while four tasks keep writing 5 ms lines — the
//! heartbeat's lag — for each write path; and what one awaited write costs on
//! each path when the disk is fast.
//!
//! `heartbeat_tick_1ms` times `sleep(1 ms)` on a current-thread runtime whose
//! other tasks write continuously: the time above 1 ms (plus the timer's own
//! ~1 ms granularity, visible in `idle`) is the lag the runtime adds.

use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use bw63_nonblocking::{DiskCost, OutputGuard, WritePath};
use criterion::{Criterion, criterion_group, criterion_main};
use tokio::runtime::Runtime;

/// Writing tasks running behind the measured timer.
const WRITERS: usize = 4;
/// What each of their lines costs (a simulated slow disk).
const LINE_COST: Duration = Duration::from_millis(5);

fn current_thread() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime builds")
}

/// One heartbeat tick: sleep 1 ms on the runtime's timer. (The `Sleep` must be
/// created inside the runtime, hence the `async` block.)
async fn tick() {
    tokio::time::sleep(Duration::from_millis(1)).await;
}

fn heartbeat_tick(c: &mut Criterion) {
    let mut group = c.benchmark_group("heartbeat_tick_1ms");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));

    let runtime = current_thread();
    group.bench_function("idle", |b| {
        b.iter(|| runtime.block_on(tick()));
    });
    drop(runtime);

    for how in WritePath::ALL {
        let dir = tempfile::tempdir().expect("temp dir");
        let runtime = current_thread();
        let stop = Arc::new(AtomicBool::new(false));
        let guard = runtime
            .block_on(OutputGuard::open(
                &dir.path().join("out.log"),
                how,
                DiskCost::SlowDisk(LINE_COST),
            ))
            .expect("the output opens");
        let writers: Vec<_> = (0..WRITERS)
            .map(|task| {
                let output = guard.output();
                let stop = Arc::clone(&stop);
                runtime.spawn(async move {
                    let mut n = 0u64;
                    while !stop.load(Ordering::Relaxed) {
                        // Stands for awaiting the next input line: it gives the
                        // runtime a chance to run other tasks between writes,
                        // as the tailers' reads do.
                        tokio::task::yield_now().await;
                        output
                            .write(format!("task-{task} line-{n}"))
                            .await
                            .expect("the write succeeds");
                        n += 1;
                    }
                })
            })
            .collect();

        group.bench_function(how.to_string(), |b| {
            b.iter(|| runtime.block_on(tick()));
        });

        stop.store(true, Ordering::Relaxed);
        runtime.block_on(async {
            for writer in writers {
                writer.await.expect("a writer task does not panic");
            }
            guard.close().await.expect("the output closes");
        });
    }
    group.finish();
}

fn write_cost(c: &mut Criterion) {
    let mut group = c.benchmark_group("awaited_write_buffered");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    for how in WritePath::ALL {
        let dir = tempfile::tempdir().expect("temp dir");
        let runtime = current_thread();
        let guard = runtime
            .block_on(OutputGuard::open(
                &dir.path().join("out.log"),
                how,
                DiskCost::Buffered,
            ))
            .expect("the output opens");
        let output = guard.output();
        group.bench_function(how.to_string(), |b| {
            b.iter(|| {
                runtime
                    .block_on(output.write(black_box("a line of the log".to_owned())))
                    .expect("the write succeeds");
            });
        });
        drop(output);
        runtime.block_on(guard.close()).expect("the output closes");
    }
    group.finish();
}

criterion_group!(benches, heartbeat_tick, write_cost);
criterion_main!(benches);
