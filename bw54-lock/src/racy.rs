//! Step 2: a counter that compiles and still loses updates.
//!
//! Safe Rust will not let two threads write a plain `u64` (step 1), so the
//! only way to write the book's bug is to say it out loud: read the count
//! with an atomic `load`, add, and write it back with an atomic `store`.
//! Each of those is atomic; the *pair* is not. Two threads can both load the
//! same value, both add one, and both store the same result: two increments,
//! one counted. That is a *lost update*.
//!
//! ```text
//! thread A: load 7            store 8
//! thread B:        load 7              store 8     (the count should be 9)
//! ```
//!
//! Note the orderings: `SeqCst`, the strongest there is. Memory ordering
//! decides which writes a thread is guaranteed to see; it cannot glue two
//! operations into one. Only an indivisible read-modify-write
//! ([`AtomicCounter`](crate::AtomicCounter)) or a lock held across both steps
//! ([`LockingCounter`](crate::LockingCounter)) does that.
//!
//! A word on names: Rust calls a *data race* two unsynchronised accesses to
//! the same memory, one of them a write — undefined behaviour, which safe Rust
//! rules out at compile time. This counter has no data race; every access is
//! atomic. What it has is a *race condition*: a correct result that depends
//! on the timing. The book's Python counter has the same race condition; the
//! compiler cannot see this kind, which is why `tests/claims/loom.rs` proves it.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::SharedCounter;
use crate::sync::Atomic;

/// A counter whose increment is an atomic load followed by an atomic store:
/// it compiles, it is `Sync`, and it loses updates under contention.
///
/// The type parameter is the atomic it is built on: std's by default, loom's
/// in the model-checking tests (see [`sync`](crate::sync)).
///
/// ```
/// use bw54_lock::{RacyCounter, SharedCounter};
///
/// // On one thread nothing interleaves, so it is exact.
/// let counter = RacyCounter::new();
/// for _ in 0..10 {
///     counter.increment(1);
/// }
/// assert_eq!(counter.count(), 10);
/// ```
#[derive(Debug)]
pub struct RacyCounter<A = AtomicU64> {
    count: A,
}

impl RacyCounter {
    /// A counter at zero, on std's `AtomicU64`.
    pub fn new() -> Self {
        Self::default()
    }
}

impl<A: Atomic> Default for RacyCounter<A> {
    fn default() -> Self {
        Self { count: A::new(0) }
    }
}

impl<A: Atomic> SharedCounter for RacyCounter<A> {
    fn increment(&self, offset: u64) {
        // The bug, on purpose: between this load and the store below, another
        // thread may store. Its update is then overwritten by ours.
        let count = self.count.load(Ordering::SeqCst);
        self.count.store(count + offset, Ordering::SeqCst);
    }

    fn count(&self) -> u64 {
        self.count.load(Ordering::SeqCst)
    }
}
