//! Concurrent sessions per second against each server: 1,000 sessions on the
//! threaded server and on the async server, and 10,000 on the async one.
//!
//! Each iteration runs this crate's binary as the client (`load`), so the
//! client's descriptors and memory stay out of the server's process; the time
//! measured is the client's own, from its first connect to its last session's
//! end, so process start-up is not counted.

use std::path::Path;
use std::time::Duration;

use bw61_port_asyncio::background::{BackgroundServer, Transport};
use bw61_port_asyncio::load::{self, FD_MARGIN, LoadPlan};
use bw61_port_asyncio::server::ServerOptions;
use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};

const CLIENT: &str = env!("CARGO_BIN_EXE_bw61-port-asyncio");

fn sessions(c: &mut Criterion) {
    let mut group = c.benchmark_group("concurrent_sessions");
    group.sample_size(10);
    // Every run takes a fifth of a second or more: the same number of runs
    // per sample, not criterion's growing series (1, 2, ... 10 runs).
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_millis(500));
    for (transport, count) in [
        (Transport::Threads, 1_000),
        (Transport::Async, 1_000),
        (Transport::Async, 10_000),
    ] {
        load::raise_open_file_limit(count as u64 + FD_MARGIN)
            .expect("enough open files for the server");
        let server = BackgroundServer::start_local(transport, ServerOptions::seeded(61))
            .expect("the server starts");
        let plan = LoadPlan::new(count);
        // Ten samples of one run each, at 0.2 to 0.3 s per 1,000 sessions.
        group.measurement_time(Duration::from_millis(count as u64 * 3));
        group.throughput(Throughput::Elements(count as u64));
        group.bench_with_input(
            BenchmarkId::new(transport.to_string(), count),
            &plan,
            |b, plan| {
                b.iter_custom(|iterations| {
                    (0..iterations)
                        .map(|_| {
                            let report = load::run_client_process(
                                Path::new(CLIENT),
                                server.local_addr(),
                                plan,
                            )
                            .expect("the load client succeeds");
                            assert_eq!(
                                report.solved, plan.sessions,
                                "every session reaches Correct"
                            );
                            report.elapsed
                        })
                        .sum()
                });
            },
        );
        server.shutdown().expect("the server stops");
    }
    group.finish();
}

criterion_group!(benches, sessions);
criterion_main!(benches);
