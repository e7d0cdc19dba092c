//! One `fetch_add` is a read, an add and a write that no other thread can
//! come between, so there is no gap left in which an update could be lost.

use std::sync::atomic::Ordering;

use bw54_lock::sync::Atomic;

/// Adds `offset` to `count` in one indivisible step.
pub fn increment<A: Atomic>(count: &A, offset: u64) {
    // Relaxed is enough: the step is indivisible in every ordering, and
    // nothing else is published through this counter.
    count.fetch_add(offset, Ordering::Relaxed);
}
