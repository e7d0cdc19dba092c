//! The two primitives the counters are built on, as traits.
//!
//! A run of threads can only *suggest* that a counter loses updates: the
//! interleaving that loses one may or may not happen this time. To *prove* it,
//! the tests hand the very same counter code to [`loom`], a model checker that
//! runs a closure once for every possible interleaving of its threads. Loom
//! can only see what happens through its own `AtomicU64` and `Mutex`, so the
//! counters do not name std's types directly: they are generic over these two
//! traits, with std's types as the defaults.
//!
//! - [`Atomic`]: the four operations of an atomic `u64` the counters use,
//!   with std's signatures, implemented here for [`std::sync::atomic::AtomicU64`].
//! - [`Lock`]: a mutex's `new` and `lock`, implemented here for
//!   [`std::sync::Mutex`].
//!
//! `tests/claims/loom.rs` implements both traits for thin wrappers around loom's
//! types (the wrappers only forward calls). Nothing else changes: the counter
//! that loom checks is the counter the demo runs.
//!
//! [`loom`]: https://docs.rs/loom

use std::ops::DerefMut;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LockResult, Mutex, MutexGuard};

/// An atomic `u64`: the operations [`RacyCounter`](crate::RacyCounter) and
/// [`AtomicCounter`](crate::AtomicCounter) are written with.
///
/// The methods mirror [`AtomicU64`]'s exactly, orderings included, so the
/// counter code reads as ordinary std code.
pub trait Atomic: Send + Sync {
    /// Creates the atomic holding `value`.
    fn new(value: u64) -> Self;
    /// Reads the value.
    fn load(&self, order: Ordering) -> u64;
    /// Writes the value.
    fn store(&self, value: u64, order: Ordering);
    /// Adds to the value in one indivisible step and returns the old value.
    fn fetch_add(&self, value: u64, order: Ordering) -> u64;
}

impl Atomic for AtomicU64 {
    fn new(value: u64) -> Self {
        AtomicU64::new(value)
    }

    fn load(&self, order: Ordering) -> u64 {
        AtomicU64::load(self, order)
    }

    fn store(&self, value: u64, order: Ordering) {
        AtomicU64::store(self, value, order);
    }

    fn fetch_add(&self, value: u64, order: Ordering) -> u64 {
        AtomicU64::fetch_add(self, value, order)
    }
}

/// A mutex around a `T`: what [`LockingCounter`](crate::LockingCounter) is
/// written with.
///
/// `lock` returns std's [`LockResult`], so a poisoned lock (a thread panicked
/// while holding it) is reported the same way whichever mutex is plugged in.
pub trait Lock<T>: Send + Sync {
    /// The guard: the data is reachable through it, and dropping it unlocks.
    type Guard<'a>: DerefMut<Target = T>
    where
        Self: 'a;

    /// Creates an unlocked mutex holding `value`.
    fn new(value: T) -> Self;

    /// Blocks until this thread holds the lock.
    fn lock(&self) -> LockResult<Self::Guard<'_>>;
}

impl<T: Send> Lock<T> for Mutex<T> {
    type Guard<'a>
        = MutexGuard<'a, T>
    where
        T: 'a;

    fn new(value: T) -> Self {
        Mutex::new(value)
    }

    fn lock(&self) -> LockResult<MutexGuard<'_, T>> {
        Mutex::lock(self)
    }
}
