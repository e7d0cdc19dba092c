//! Loom's primitives seen through the lesson's [`Atomic`] and [`Lock`]
//! traits, for the claims and the exercises' checks alike. Loom sees only
//! its own primitives; the orphan rule forbids implementing the lesson's
//! traits for loom's types directly, so these wrappers forward every call and
//! do nothing else.

use std::sync::LockResult;
use std::sync::atomic::Ordering;

use bw54_lock::sync::{Atomic, Lock};

/// Loom's `AtomicU64`, seen through the lesson's [`Atomic`] trait.
#[derive(Debug)]
pub(crate) struct LoomAtomic(loom::sync::atomic::AtomicU64);

impl Atomic for LoomAtomic {
    fn new(value: u64) -> Self {
        Self(loom::sync::atomic::AtomicU64::new(value))
    }

    fn load(&self, order: Ordering) -> u64 {
        self.0.load(order)
    }

    fn store(&self, value: u64, order: Ordering) {
        self.0.store(value, order);
    }

    fn fetch_add(&self, value: u64, order: Ordering) -> u64 {
        self.0.fetch_add(value, order)
    }
}

/// Loom's `Mutex`, seen through the lesson's [`Lock`] trait.
#[derive(Debug)]
pub(crate) struct LoomMutex<T>(loom::sync::Mutex<T>);

impl<T: Send> Lock<T> for LoomMutex<T> {
    type Guard<'a>
        = loom::sync::MutexGuard<'a, T>
    where
        T: 'a;

    fn new(value: T) -> Self {
        Self(loom::sync::Mutex::new(value))
    }

    fn lock(&self) -> LockResult<loom::sync::MutexGuard<'_, T>> {
        self.0.lock()
    }
}
