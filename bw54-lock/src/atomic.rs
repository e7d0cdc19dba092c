//! Step 3b: one indivisible read-modify-write instead of a lock.
//!
//! [`RacyCounter`](crate::RacyCounter) loses updates because its read and its
//! write are two operations. `fetch_add` is *one*: the processor performs the
//! read, the add and the write as a single step no other thread can get
//! between (on x86-64, a `lock xadd` instruction). For a counter that is all
//! the synchronisation needed, with no lock to take and no thread ever put to
//! sleep.
//!
//! It fits only state that is one machine word changed by one operation. Two
//! values that must change together, or several steps that other threads must
//! see all or none of, need a lock again.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::SharedCounter;
use crate::sync::Atomic;

/// A counter whose increment is a single atomic `fetch_add`: always exact,
/// never blocks.
///
/// The type parameter is the atomic it is built on: std's by default, loom's
/// in the model-checking tests (see [`sync`](crate::sync)).
///
/// ```
/// use bw54_lock::{AtomicCounter, SharedCounter, count_with_threads};
///
/// let counter = AtomicCounter::new();
/// let outcome = count_with_threads(&counter, 4, 1_000);
/// assert_eq!(outcome.found, 4_000);
/// ```
#[derive(Debug)]
pub struct AtomicCounter<A = AtomicU64> {
    count: A,
}

impl AtomicCounter {
    /// A counter at zero, on std's `AtomicU64`.
    pub fn new() -> Self {
        Self::default()
    }
}

impl<A: Atomic> Default for AtomicCounter<A> {
    fn default() -> Self {
        Self { count: A::new(0) }
    }
}

impl<A: Atomic> SharedCounter for AtomicCounter<A> {
    fn increment(&self, offset: u64) {
        // Relaxed is enough. The ordering does not make fetch_add more or less
        // atomic — it is one indivisible step in every ordering. Ordering only
        // governs what *other* memory a thread sees, and nothing else is
        // published through this counter. The final read comes after the
        // threads are joined, and joining already makes every increment
        // visible.
        self.count.fetch_add(offset, Ordering::Relaxed);
    }

    fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }
}
