//! The pool itself: results, panics, bounded concurrency, clean shutdown.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};

use bw59_threadpool::Pool;
use course_support::InFlight;

#[test]
fn results_come_back_in_submission_order() {
    let pool = Pool::new(3).expect("threads");
    let handles: Vec<_> = (0..100u64).map(|i| pool.submit(move || i * i)).collect();
    let results: Vec<u64> = handles
        .into_iter()
        .map(|h| h.result().expect("no panic"))
        .collect();
    assert_eq!(results, (0..100u64).map(|i| i * i).collect::<Vec<_>>());
}

#[test]
fn all_workers_run_at_once() {
    // Four jobs that each wait for all four: they can finish only if the
    // pool runs four at the same time.
    let pool = Pool::new(4).expect("threads");
    let barrier = Arc::new(Barrier::new(4));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let barrier = Arc::clone(&barrier);
            pool.submit(move || barrier.wait().is_leader())
        })
        .collect();
    let leaders = handles
        .into_iter()
        .map(|h| h.result().expect("no panic"))
        .filter(|&leader| leader)
        .count();
    assert_eq!(leaders, 1, "all four met at the barrier");
}

#[test]
fn concurrency_never_exceeds_the_pool_size() {
    let pool = Pool::new(3).expect("threads");
    let gauge = Arc::new(InFlight::new());
    let handles: Vec<_> = (0..60)
        .map(|_| {
            let gauge = Arc::clone(&gauge);
            pool.submit(move || {
                let _running = gauge.enter();
                std::thread::sleep(std::time::Duration::from_micros(200));
            })
        })
        .collect();
    for handle in handles {
        handle.result().expect("no panic");
    }
    assert!(gauge.peak() <= 3, "peak {}", gauge.peak());
    assert!(gauge.peak() >= 1);
}

#[test]
fn a_panicking_job_is_reported_and_the_worker_survives() {
    let pool = Pool::new(1).expect("threads");
    let failed = pool.submit(|| -> u32 { panic!("job exploded") });
    let payload = failed.result().expect_err("the job panicked");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"job exploded"));
    // The single worker is still there to run the next job.
    assert_eq!(pool.submit(|| 7).result().expect("no panic"), 7);
}

#[test]
fn drop_runs_every_queued_job_first() {
    let done = Arc::new(AtomicUsize::new(0));
    {
        let pool = Pool::new(2).expect("threads");
        for _ in 0..50 {
            let done = Arc::clone(&done);
            // Dropped unread: the job still runs.
            let _ = pool.submit(move || done.fetch_add(1, Ordering::SeqCst));
        }
    }
    // The drop returned only after the queue drained.
    assert_eq!(done.load(Ordering::SeqCst), 50);
}
