//! A panic in any stage comes back to the caller as an error, after every
//! thread has been joined; the pipeline does not hang.

use std::sync::mpsc;
use std::time::Duration;

use bw55_queue::photos::{self, BOOK_WORKERS, Config, PhotoRun};
use bw55_queue::pipeline::{Capacity, Pipeline, PipelineError};
use bw55_queue::work::{self, Stages};

/// Runs `f` on its own thread and fails the test if it has not returned
/// within a minute — far longer than any of these runs takes — so that a
/// hang shows up as a failure rather than a stuck test run.
fn without_hanging<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (done_tx, done_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = done_tx.send(f());
    });
    done_rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the pipeline hung (or the test thread panicked)")
}

/// The standard stages, except that `stage` panics on item `bad`.
fn failing(stage: &'static str, bad: u64) -> Stages {
    let mut stages = Stages::standard();
    match stage {
        "download" => {
            stages.download = Box::new(move |id| {
                assert_ne!(id, bad, "cannot download {id}");
                work::download(id)
            });
        }
        "resize" => {
            stages.resize = Box::new(move |image| {
                assert_ne!(image.id, bad, "cannot resize {}", image.id);
                work::resize(image)
            });
        }
        "upload" => {
            stages.upload = Box::new(move |thumbnail| {
                assert_ne!(thumbnail.id, bad, "cannot upload {}", thumbnail.id);
                work::upload(thumbnail)
            });
        }
        other => unreachable!("no stage {other}"),
    }
    stages
}

fn run_failing(
    stage: &'static str,
    workers: [usize; 3],
    capacity: Capacity,
) -> Result<PhotoRun, PipelineError> {
    without_hanging(move || {
        photos::run(
            0..10_000,
            &failing(stage, 500),
            &Config { workers, capacity },
        )
    })
}

#[test]
fn a_panic_in_any_stage_is_returned_as_an_error() {
    for stage in ["download", "resize", "upload"] {
        for workers in [[1, 1, 1], BOOK_WORKERS] {
            for capacity in [
                Capacity::Bounded(1),
                Capacity::Bounded(64),
                Capacity::Unbounded,
            ] {
                let error = run_failing(stage, workers, capacity)
                    .expect_err("a panicking stage must fail the run");
                match &error {
                    PipelineError::Panicked {
                        stage: failed,
                        message,
                        panicked,
                        ..
                    } => {
                        assert_eq!(*failed, stage, "{error}");
                        assert!(
                            message.contains("cannot") && message.contains("500"),
                            "{error}"
                        );
                        assert_eq!(*panicked, 1, "{error}");
                    }
                    other => panic!("expected a panic report, got {other}"),
                }
                let text = error.to_string();
                assert!(text.contains(stage) && text.contains("500"), "{text}");
            }
        }
    }
}

/// Runs an endless source through a "check" stage of `workers` that panics
/// on item 1,000; returns the error and the items that came out.
fn endless_until_a_panic(workers: usize) -> (Result<(), PipelineError>, Vec<u64>) {
    without_hanging(move || {
        let mut delivered = Vec::new();
        let result = std::thread::scope(|s| {
            let mut pipeline = Pipeline::new(s, Capacity::Bounded(8))?;
            // Endless: only the abort after the panic can stop it.
            let ids = pipeline.source(0_u64..)?;
            let checked = pipeline.stage("check", workers, ids, |n| {
                assert!(n != 1_000, "item {n} is bad");
                n
            })?;
            pipeline.finish(checked, |n| delivered.push(n))
        });
        (result.map(drop), delivered)
    })
}

#[test]
fn a_panic_stops_an_endless_pipeline() {
    // One worker handles the items in order: everything before the bad item
    // comes out, then the stream ends.
    let (result, delivered) = endless_until_a_panic(1);
    let error = result.expect_err("the check stage panicked");
    assert!(
        matches!(error, PipelineError::Panicked { stage: "check", .. }),
        "{error}"
    );
    assert!(delivered.iter().copied().eq(0..1_000));

    // With three, the others may finish a few more items before they see
    // the abort; the bad one never comes out, and the run still ends.
    let (result, delivered) = endless_until_a_panic(3);
    assert!(matches!(
        result,
        Err(PipelineError::Panicked { stage: "check", .. })
    ));
    assert!(!delivered.contains(&1_000));
}

#[test]
fn a_panicking_source_is_an_error_too() {
    let result = without_hanging(|| {
        std::thread::scope(|s| {
            let mut pipeline = Pipeline::new(s, Capacity::Bounded(2))?;
            let ids = pipeline
                .source((0..100_u32).inspect(|&n| assert!(n != 50, "source broke at {n}")))?;
            let same = pipeline.stage("pass", 2, ids, |n| n)?;
            pipeline.finish(same, drop)
        })
    });
    let error = result.expect_err("the source panicked");
    assert!(
        matches!(&error, PipelineError::Panicked { stage: "source", message, .. } if message.contains("50")),
        "{error}"
    );
}

#[test]
fn every_worker_of_a_stage_panicking_is_one_error() {
    let result = without_hanging(|| {
        std::thread::scope(|s| {
            let mut pipeline = Pipeline::new(s, Capacity::Bounded(1))?;
            let ids = pipeline.source(0..100_000_u32)?;
            let first = pipeline.stage("first", 2, ids, |n| n)?;
            let broken = pipeline.stage("broken", 4, first, |n: u32| -> u32 {
                panic!("broken stage got {n}")
            })?;
            pipeline.finish(broken, drop)
        })
    });
    match result.expect_err("every worker panicked") {
        PipelineError::Panicked {
            stage, panicked, ..
        } => {
            assert_eq!(stage, "broken");
            assert!((1..=4).contains(&panicked), "{panicked}");
        }
        other => panic!("expected a panic report, got {other}"),
    }
}

#[test]
fn a_panic_in_the_callers_own_code_still_joins_every_thread() {
    // The caller's closure panics; the scope unwinds only after the
    // pipeline's threads have seen their channels close and ended.
    let caught = without_hanging(|| {
        std::panic::catch_unwind(|| {
            std::thread::scope(|s| {
                let mut pipeline = Pipeline::new(s, Capacity::Bounded(1)).expect("capacity 1");
                let ids = pipeline.source(0_u64..).expect("spawn");
                let same = pipeline.stage("pass", 3, ids, |n| n).expect("spawn");
                let _ = pipeline.finish(same, |n| assert!(n < 10, "the caller gave up at {n}"));
            });
        })
    });
    assert!(caught.is_err(), "the caller's panic propagates");
}
