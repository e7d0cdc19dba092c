//! One guard, bound to a variable, holds the lock from the read to the last
//! write, so the two totals change in one critical section that other threads
//! see whole or not at all.

use bw54_lock::sync::Lock;

/// A sensor's totals: `sum` is the sum of `count` readings.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    /// How many readings were recorded.
    pub count: u64,
    /// The sum of those readings.
    pub sum: u64,
}

const POISONED: &str = "no thread panics while holding the totals' lock";

/// Records one `reading`: both totals change under one guard.
pub fn record<M: Lock<Totals>>(totals: &M, reading: u64) {
    let mut guard = totals.lock().expect(POISONED);
    guard.count += 1;
    guard.sum += reading;
    // The guard is dropped here, after both writes: the lock is released.
}

/// Both totals, copied out under one guard.
pub fn snapshot<M: Lock<Totals>>(totals: &M) -> Totals {
    *totals.lock().expect(POISONED)
}
