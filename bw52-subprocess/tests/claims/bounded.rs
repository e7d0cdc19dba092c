//! Many children through tokio, a bounded number at a time.

use std::num::NonZeroUsize;
use std::sync::Arc;

use crate::common::barrier_command;
use bw52_subprocess::{RunError, run_bounded};
use course_support::InFlight;
use tokio::process::Command;

fn limit(n: usize) -> NonZeroUsize {
    NonZeroUsize::new(n).expect("non-zero")
}

#[tokio::test]
async fn peak_concurrency_equals_the_limit() {
    // The first three children wait at a barrier for each other, so three
    // must run at once (peak >= 3); the semaphore allows no more (peak <= 3).
    // Later children find the three markers and pass at once.
    let dir = tempfile::tempdir().expect("temp dir");
    let gauge = Arc::new(InFlight::new());
    let commands = (0..12)
        .map(|_| Command::from(barrier_command(dir.path(), 3, 1000)))
        .collect();
    let results = run_bounded(commands, limit(3), Arc::clone(&gauge)).await;
    assert_eq!(results.len(), 12);
    for result in &results {
        assert!(result.is_ok(), "{result:?}");
    }
    assert_eq!(gauge.peak(), 3);
    assert_eq!(gauge.current(), 0);
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 12);
}

#[tokio::test]
async fn limit_of_one_runs_one_at_a_time() {
    let gauge = Arc::new(InFlight::new());
    let commands = (0..6).map(|_| Command::new("true")).collect();
    let results = run_bounded(commands, limit(1), Arc::clone(&gauge)).await;
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(gauge.peak(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_keep_the_order_of_the_commands() {
    let commands = (0..20)
        .map(|i| {
            let mut command = Command::new("sh");
            // Later children finish first: the order must not come from timing.
            command.args(["-c", &format!("sleep 0.0{}; echo {i}", 9 - i % 10)]);
            command
        })
        .collect();
    let results = run_bounded(commands, limit(8), Arc::new(InFlight::new())).await;
    for (i, result) in results.into_iter().enumerate() {
        assert_eq!(
            result.expect("sh succeeds").stdout,
            format!("{i}\n").as_bytes()
        );
    }
}

#[tokio::test]
async fn each_failure_is_reported_with_its_command() {
    let mut failing = Command::new("sh");
    failing.args(["-c", "echo nope >&2; exit 6"]);
    let commands = vec![
        Command::new("true"),
        failing,
        Command::new("bw52-no-such-program"),
        Command::new("true"),
    ];
    let results = run_bounded(commands, limit(2), Arc::new(InFlight::new())).await;
    assert!(results[0].is_ok() && results[3].is_ok());
    let failed = results[1].as_ref().expect_err("exit 6");
    assert_eq!((failed.code(), failed.stderr()), (Some(6), Some("nope\n")));
    assert!(
        matches!(results[2], Err(RunError::NotFound { .. })),
        "{:?}",
        results[2]
    );
}
