//! No worker thread outlives its pool, also after a failing generation.
//!
//! Alone in its own test binary (so its own process): it counts this
//! process's threads by name in `/proc/self/task`, which other tests running
//! in parallel would disturb.

use std::fs;

use bw56_life::{CellIo, Fault, Grid, Strategy};
use bw59_threadpool::PoolStrategy;

fn pool_threads() -> usize {
    fs::read_dir("/proc/self/task")
        .expect("procfs")
        .filter_map(|task| fs::read_to_string(task.ok()?.path().join("comm")).ok())
        .filter(|name| name.starts_with("pool-worker-"))
        .count()
}

/// The count of pool threads once it reaches `expected`, or whatever it is
/// after 10 s. A new thread names itself as it starts, and an exiting one
/// leaves `/proc` a moment after `join` returns, so the count is awaited
/// rather than read once; the test still fails if it never gets there.
fn settle_at(expected: usize) -> usize {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let count = pool_threads();
        if count == expected || std::time::Instant::now() > deadline {
            return count;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

#[test]
fn workers_are_joined_when_the_pool_is_dropped() {
    assert_eq!(pool_threads(), 0);
    let mut pool = PoolStrategy::new(4).expect("threads");
    assert_eq!(settle_at(4), 4);
    let grid = Grid::soup(6, 6, 1);
    let failing = CellIo::none().with_fault(Fault::error_at(2, 2));
    assert!(pool.step(&grid, &failing).is_err());
    assert!(pool.step(&grid, &CellIo::none()).is_ok());
    drop(pool);
    assert_eq!(settle_at(0), 0, "every worker exited and was joined");
}
