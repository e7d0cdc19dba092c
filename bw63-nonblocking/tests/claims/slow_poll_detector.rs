//! The slow-poll detector reports a task that blocks, by name and duration,
//! and never a task that only awaits — even one the blocker delayed.
//!
//! Real blocking, real time: paused time would hide exactly what is tested.

use std::time::Duration;

use bw63_nonblocking::{Heartbeat, SlowCause, SlowPollDetector};

const THRESHOLD: Duration = Duration::from_millis(50);
const BLOCK: Duration = Duration::from_millis(200);

fn current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime builds")
}

#[test]
fn reports_a_blocking_poll_with_its_task_name() {
    let detector = SlowPollDetector::new(THRESHOLD);
    current_thread().block_on(async {
        detector
            .spawn("blocker", async {
                tokio::task::yield_now().await;
                std::thread::sleep(BLOCK);
                tokio::task::yield_now().await;
            })
            .await
            .expect("the task does not panic");
    });
    let reports = detector.reports();
    assert_eq!(reports.len(), 1, "{reports:?}");
    assert_eq!(&*reports[0].task, "blocker");
    assert!(reports[0].duration >= BLOCK, "{reports:?}");
    // The block was in the second poll: the first ended at the first yield.
    assert_eq!(reports[0].poll, 2);
    assert_eq!(reports[0].threshold, THRESHOLD);
    // `std::thread::sleep` parks the thread in the kernel: the report says the
    // task blocked, not that the machine was busy.
    if cfg!(target_os = "linux") {
        let usage = reports[0].usage.expect("Linux reports thread usage");
        assert!(usage.slept >= 1, "{usage:?}");
        assert_eq!(reports[0].cause(), SlowCause::Blocked);
    }
}

#[test]
fn does_not_report_a_task_that_only_awaits() {
    let detector = SlowPollDetector::new(THRESHOLD);
    current_thread().block_on(async {
        detector
            .spawn("awaiter", async {
                // As long in total as the blocker, but spent awaiting.
                for _ in 0..4 {
                    tokio::time::sleep(BLOCK / 4).await;
                    tokio::task::yield_now().await;
                }
            })
            .await
            .expect("the task does not panic");
    });
    assert!(detector.reports().is_empty(), "{:?}", detector.reports());
}

#[test]
fn blames_the_blocker_not_the_task_it_delayed() {
    let detector = SlowPollDetector::new(THRESHOLD);
    let lag = current_thread().block_on(async {
        let heartbeat = Heartbeat::start(Duration::from_millis(5));
        let awaiter = detector.spawn("awaiter", async {
            for _ in 0..10 {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        });
        let blocker = detector.spawn("blocker", async {
            std::thread::sleep(BLOCK);
        });
        awaiter.await.expect("no panic");
        blocker.await.expect("no panic");
        heartbeat.stop().await
    });
    let reports = detector.reports();
    // The awaiter was kept waiting ~200 ms, but none of *its* polls was slow.
    assert!(reports.iter().all(|r| &*r.task == "blocker"), "{reports:?}");
    assert_eq!(reports.len(), 1, "{reports:?}");
    // The heartbeat felt the block as lag (at least a fifth of it).
    assert!(lag.max >= BLOCK / 5, "{lag:?}");
}

#[test]
fn clones_report_into_one_collector_and_outputs_pass_through() {
    let detector = SlowPollDetector::new(THRESHOLD);
    let clone = detector.clone();
    let value = current_thread().block_on(async {
        let a = clone.watch("a", async {
            std::thread::sleep(BLOCK);
            1
        });
        let b = detector.watch("b", async { 2 });
        a.await + b.await
    });
    assert_eq!(value, 3);
    let names: Vec<_> = detector
        .reports()
        .iter()
        .map(|r| r.task.to_string())
        .collect();
    assert_eq!(names, ["a"]);
    clone.clear();
    assert!(detector.reports().is_empty());
}
