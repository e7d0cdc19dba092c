//! The book's scenario: every line of every growing input reaches the output
//! once, in its file's order, whichever way it is written; and the blocking
//! way shows up in the slow-poll reports and the heartbeat, the others not.

use std::time::Duration;

use bw63_nonblocking::{
    DiskCost, OutputGuard, Producer, ScenarioConfig, WritePath, run_tasks, tail_file, verify_output,
};

fn current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime builds")
}

#[test]
fn every_write_path_delivers_every_line_in_order() {
    let config = ScenarioConfig {
        files: 3,
        lines: 200,
        pace: Duration::ZERO,
        cost: DiskCost::Buffered,
        ..ScenarioConfig::default()
    };
    let runtime = current_thread();
    for how in WritePath::ALL {
        let dir = tempfile::tempdir().expect("temp dir");
        let report = runtime
            .block_on(run_tasks(dir.path(), how, &config))
            .expect("the run succeeds");
        let verified =
            verify_output(&report.output, 3, 200).unwrap_or_else(|e| panic!("{how}: {e}"));
        assert_eq!(verified.lines, 600);
        assert_eq!(report.written.lines, 600, "{how}");
    }
}

#[test]
fn a_tailer_follows_a_file_that_is_still_growing() {
    // The producer writes a line every millisecond and the tailer polls every
    // millisecond, so the tailer reaches the end of the file many times before
    // the producer is done; it must neither stop early nor lose a line.
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("input-0.log");
    let output = dir.path().join("out.log");
    current_thread().block_on(async {
        let guard = OutputGuard::open(&output, WritePath::WriterThread, DiskCost::Buffered)
            .await
            .expect("opens");
        let producer = Producer::start(input.clone(), 0, 50, Duration::from_millis(1))
            .expect("producer starts");
        let lines = tail_file(
            input,
            producer.finished(),
            Duration::from_millis(1),
            guard.output(),
        )
        .await
        .expect("tails");
        assert_eq!(lines, 50);
        guard.close().await.expect("closes");
        tokio::task::spawn_blocking(move || producer.join())
            .await
            .expect("no panic")
            .expect("producer succeeded");
    });
    verify_output(&output, 1, 50).expect("every line once, in order");
}

#[test]
fn only_the_blocking_path_writes_inside_a_poll() {
    // Each line costs 100 ms on the (simulated) disk. Written inline, every
    // write sits inside some tailer's poll, so the slow polls add up to at
    // least lines x 100 ms and the heartbeat is late by most of a write.
    // Written by the writer thread, no poll comes anywhere near one write.
    let cost = Duration::from_millis(100);
    let config = ScenarioConfig {
        files: 2,
        lines: 2,
        cost: DiskCost::SlowDisk(cost),
        threshold: Duration::from_millis(20),
        ..ScenarioConfig::default()
    };
    let runtime = current_thread();

    let dir = tempfile::tempdir().expect("temp dir");
    let blocking = runtime
        .block_on(run_tasks(dir.path(), WritePath::Blocking, &config))
        .expect("the run succeeds");
    let blocked: Duration = blocking.slow_polls.iter().map(|p| p.duration).sum();
    assert!(blocked >= cost * 4, "{:?}", blocking.slow_polls);
    assert!(
        blocking
            .slow_polls
            .iter()
            .all(|p| p.task.starts_with("tail-"))
    );
    assert!(blocking.lag.max >= cost / 5, "{:?}", blocking.lag);

    let dir = tempfile::tempdir().expect("temp dir");
    let threaded = runtime
        .block_on(run_tasks(dir.path(), WritePath::WriterThread, &config))
        .expect("the run succeeds");
    assert!(
        threaded.slow_polls.iter().all(|p| p.duration < cost),
        "{:?}",
        threaded.slow_polls
    );
    verify_output(&threaded.output, 2, 2).expect("complete");
}
