//! No worker thread outlives its pool, also after a failing generation.
//!
//! It counts this process's threads as the operating system sees them,
//! which other tests running in parallel would disturb, so it runs alone in
//! a process of its own.

use bw56_life::{CellIo, Fault, Grid, Strategy};
use bw59_threadpool::PoolStrategy;

/// The threads of this process, as the operating system counts them.
fn os_threads() -> usize {
    course_support::threads::count().expect("the system counts this process's threads")
}

/// The thread count once it reaches `expected`, or whatever it is after
/// 10 s. A new thread is counted once the system has created it, and an
/// exiting one stops being counted a moment after `join` returns, so the
/// count is awaited rather than read once; the test still fails if it never
/// gets there.
fn settle_at(expected: usize) -> usize {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let count = os_threads();
        if count == expected || std::time::Instant::now() > deadline {
            return count;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

#[cfg_attr(windows, ignore = "threads are not counted on Windows")]
#[test]
fn workers_are_joined_when_the_pool_is_dropped() {
    if !course_support::testing::alone_in_process(
        module_path!(),
        "workers_are_joined_when_the_pool_is_dropped",
    ) {
        return;
    }
    let before = os_threads();
    let mut pool = PoolStrategy::new(4).expect("threads");
    assert_eq!(settle_at(before + 4), before + 4, "four workers started");
    let grid = Grid::soup(6, 6, 1);
    let failing = CellIo::none().with_fault(Fault::error_at(2, 2));
    assert!(pool.step(&grid, &failing).is_err());
    assert!(pool.step(&grid, &CellIo::none()).is_ok());
    drop(pool);
    assert_eq!(
        settle_at(before),
        before,
        "every worker exited and was joined"
    );
}
