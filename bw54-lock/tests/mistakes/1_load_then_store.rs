//! Mistake: the increment as the book's `+=` runs it, a load and then a
//! store. Each step is atomic, the pair is not: a thread that stores between
//! them has its update overwritten.

use std::sync::atomic::Ordering;

use bw54_lock::sync::Atomic;

pub fn increment<A: Atomic>(count: &A, offset: u64) {
    let old = count.load(Ordering::SeqCst);
    count.store(old + offset, Ordering::SeqCst);
}
