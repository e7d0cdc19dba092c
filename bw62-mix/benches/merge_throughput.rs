//! Lines per second of each version on a burst: 10 files x 2,000 lines
//! written with no pause while the tailers follow, end to end (writers
//! included, verification excluded).

use std::hint::black_box;
use std::time::Duration;

use bw62_mix::{Shutdown, Version, Workload, run_merge};
use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};

const BURST: Workload = Workload {
    files: 10,
    lines: 2_000,
    max_delay: Duration::ZERO,
    seed: 62,
};

fn merge_throughput(c: &mut Criterion) {
    let mut group = c.benchmark_group("merge");
    group.throughput(Throughput::Elements(BURST.total_lines() as u64));
    // Few, short samples: the whole bench stays well under a minute.
    // Flat sampling: every sample runs the same number of merges, which suits
    // a routine this long (tens of milliseconds).
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(4));
    for version in Version::ALL {
        group.bench_function(version.name(), |b| {
            b.iter(|| {
                let dir = tempfile::tempdir().expect("temp dir");
                let run = run_merge(
                    version,
                    &BURST,
                    Duration::from_millis(1),
                    Shutdown::AfterWriters,
                    dir.path(),
                )
                .expect("merge");
                // A wrong count would make the figure meaningless.
                assert_eq!(run.lines, BURST.total_lines() as u64);
                black_box(run.elapsed)
            });
        });
    }
    group.finish();
}

criterion_group!(benches, merge_throughput);
criterion_main!(benches);
