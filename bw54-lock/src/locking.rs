//! Step 3a: the book's fix, a lock around the counter.
//!
//! The book's `LockingCounter` keeps a `Lock` next to the count and takes it
//! in `increment` with `with self.lock:`. Nothing but discipline stops other
//! code from touching `self.count` without the lock.
//!
//! Rust's [`Mutex`] *owns* the data it guards. The only way to reach the
//! [`Counter`] inside is `lock()`, which returns a guard; the guard derefs to
//! `&mut Counter`, and dropping it unlocks. So "forgot to take the lock" does
//! not compile, and "forgot to release it" cannot happen: the guard is
//! dropped at the end of its scope, on a panic too.
//!
//! While one thread holds the lock, the others trying to take it wait — and
//! on a contended lock, waiting means the kernel parks them and wakes them
//! later. That is the cost the demo and `benches/counters.rs` measure against
//! [`AtomicCounter`](crate::AtomicCounter).

use std::sync::{LockResult, Mutex, MutexGuard};

use crate::SharedCounter;
use crate::plain::Counter;
use crate::sync::Lock;

/// Why a lock call on a [`LockingCounter`] can fail: see [`crate::poison`].
const POISONED: &str = "the counter's lock is poisoned: a thread panicked while holding it \
                        (LockingCounter::lock and clear_poison recover it)";

/// The book's `LockingCounter`: the plain [`Counter`], behind a mutex.
///
/// The type parameter is the mutex: std's by default, loom's in the
/// model-checking tests (see [`sync`](crate::sync)).
///
/// ```
/// use bw54_lock::{LockingCounter, SharedCounter, count_with_threads};
///
/// let counter = LockingCounter::new();
/// let outcome = count_with_threads(&counter, 4, 1_000);
/// assert_eq!(outcome.found, 4_000);
/// ```
#[derive(Debug)]
pub struct LockingCounter<M = Mutex<Counter>> {
    /// The lock and the count in one: the count lives inside the mutex.
    count: M,
}

impl LockingCounter {
    /// A counter at zero, behind std's `Mutex`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the lock directly. `Err` means the lock is poisoned; the error
    /// still holds the guard ([`PoisonError::into_inner`](std::sync::PoisonError::into_inner)),
    /// so the data can be inspected or repaired.
    pub fn lock(&self) -> LockResult<MutexGuard<'_, Counter>> {
        self.count.lock()
    }

    /// Whether a thread panicked while holding the lock (and nobody has
    /// cleared that since).
    pub fn is_poisoned(&self) -> bool {
        self.count.is_poisoned()
    }

    /// Marks the lock healthy again: call it once the data is known to be
    /// consistent (see [`crate::poison::recover`]).
    pub fn clear_poison(&self) {
        self.count.clear_poison();
    }
}

impl<M: Lock<Counter>> Default for LockingCounter<M> {
    fn default() -> Self {
        Self {
            count: M::new(Counter::new()),
        }
    }
}

impl<M: Lock<Counter>> LockingCounter<M> {
    /// Counts a batch of readings in one critical section: another thread
    /// sees the count from before the batch or after it, never part of it.
    ///
    /// The readings come from an iterator, which may fail part-way — and if it
    /// panics, it panics while this thread holds the lock, with only part of
    /// the batch counted. That is exactly the situation poisoning reports; see
    /// [`crate::poison`].
    ///
    /// # Panics
    ///
    /// If the lock is poisoned, or if `readings` panics (which poisons it).
    pub fn increment_all<I: IntoIterator<Item = u64>>(&self, readings: I) {
        let mut counter = self.count.lock().expect(POISONED);
        for reading in readings {
            counter.increment(reading);
        }
        // `counter`, the guard, is dropped here and the lock released. If
        // `readings` panicked above, the guard was dropped during the unwind
        // instead, and the mutex noticed that and marked itself poisoned.
    }
}

impl<M: Lock<Counter>> SharedCounter for LockingCounter<M> {
    /// # Panics
    ///
    /// If the lock is poisoned: a panic elsewhere while holding it may have
    /// left the count half-updated, so by default the panic spreads to every
    /// thread that uses the counter, as std recommends. [`crate::poison`]
    /// shows how to recover deliberately instead.
    fn increment(&self, offset: u64) {
        // The guard lives only for this statement: the lock is held for one
        // addition and released at the semicolon.
        self.count.lock().expect(POISONED).increment(offset);
    }

    /// # Panics
    ///
    /// If the lock is poisoned, as [`increment`](Self::increment).
    fn count(&self) -> u64 {
        self.count.lock().expect(POISONED).count()
    }
}
