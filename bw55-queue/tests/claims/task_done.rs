//! The book's `task_done`/`join`, as a `WaitGroup` that travels with each job.

use bw55_queue::task_done::{Step, wait_for_all, wait_for_one};

fn position(steps: &[Step], step: Step) -> usize {
    steps
        .iter()
        .position(|s| *s == step)
        .unwrap_or_else(|| panic!("{step:?} missing from {steps:?}"))
}

#[test]
fn producer_waits_until_the_consumer_is_done() {
    for _ in 0..200 {
        let steps = wait_for_one();
        assert_eq!(steps.len(), 6, "{steps:?}");
        assert!(position(&steps, Step::ConsumerDone) < position(&steps, Step::ProducerDone));
        assert!(position(&steps, Step::ProducerPutting) < position(&steps, Step::ConsumerWorking));
        assert!(position(&steps, Step::ConsumerWorking) < position(&steps, Step::ConsumerDone));
        assert_eq!(steps.last(), Some(&Step::ProducerDone));
    }
}

#[test]
fn wait_returns_after_every_job_and_before_the_workers_stop() {
    let report = wait_for_all(10_000, 4, None);
    assert_eq!(report.finished_when_wait_returned, 10_000);
    assert_eq!(report.panicked_jobs, 0);
    // Waiting for the work does not stop the workers: they wait for more.
    assert_eq!(report.workers_alive_when_wait_returned, 4);
    assert_eq!(report.workers_joined, 4);
}

#[test]
fn a_panicking_job_still_releases_the_waiter() {
    for _ in 0..20 {
        let report = wait_for_all(1_000, 3, Some(500));
        assert_eq!(report.finished_when_wait_returned, 999);
        assert_eq!(report.panicked_jobs, 1);
        // The panicked worker may or may not have finished unwinding.
        assert!(
            (2..=3).contains(&report.workers_alive_when_wait_returned),
            "{report:?}"
        );
        assert_eq!(report.workers_joined, 3);
    }
}
