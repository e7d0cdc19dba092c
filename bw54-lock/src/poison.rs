//! Step 4: what a panic while holding the lock does — poisoning.
//!
//! In the book, an exception inside `with self.lock:` releases the lock and
//! the next thread carries on, whatever state the exception left behind.
//!
//! Rust releases the lock too (the guard is dropped during the unwind), but
//! the mutex also remembers that its holder panicked: it is now *poisoned*.
//! Every later `lock()` returns `Err(PoisonError)` instead of the guard. The
//! data is not lost or locked away — the error carries the guard — but the
//! caller has to decide, in code, that the data is still usable:
//!
//! - [`PoisonError::into_inner`](std::sync::PoisonError::into_inner) takes
//!   the guard out of the error, to read or repair the data;
//! - [`Mutex::clear_poison`](std::sync::Mutex::clear_poison) marks the lock
//!   healthy again, so later `lock()` calls succeed.
//!
//! The scenario: a thread counts a batch of ten readings under one lock
//! ([`LockingCounter::increment_all`]) and the sixth reading fails with a
//! panic. Five of the ten are counted — a half-applied batch, which is what
//! the poison flag warns about. [`recover`] accepts that state (for a count
//! of sensor readings, missing a few is survivable); a program whose
//! invariant spans several fields would repair the data or give up instead.

use std::any::Any;

use crate::locking::LockingCounter;

/// What [`recover`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recovery {
    /// Whether the lock was poisoned when `recover` took it.
    pub was_poisoned: bool,
    /// The count, read through the poison if need be.
    pub count: u64,
}

/// Counts a batch of `len` readings (each of them 1) on its own thread, in one
/// critical section, where reading number `failing_at` (from 0) panics — a
/// sensor failing part-way through the batch.
///
/// Returns the panic's message as the join reported it, or `None` when
/// `failing_at >= len` and the batch completed. The spawned thread is always
/// joined before this returns.
pub fn panic_mid_batch(counter: &LockingCounter, len: u64, failing_at: u64) -> Option<String> {
    let readings = (0..len).map(move |index| {
        if index == failing_at {
            panic!("sensor read {index} failed");
        }
        1
    });
    std::thread::scope(|s| {
        // Joining by hand turns the thread's panic into a value here; a
        // scope left with an unjoined panicked thread would re-panic.
        s.spawn(move || counter.increment_all(readings))
            .join()
            .err()
            .map(|payload| panic_message(payload.as_ref()))
    })
}

/// Reads the count whether or not the lock is poisoned, then clears the
/// poison so the counter can be used again.
///
/// Clearing is a decision about the data: call this only where a
/// half-finished update is acceptable, as it is for this counter.
pub fn recover(counter: &LockingCounter) -> Recovery {
    let (was_poisoned, count) = match counter.lock() {
        Ok(guard) => (false, guard.count()),
        // The error holds the guard: the lock is ours, and the data is
        // reachable exactly as it was when the panicking thread let go.
        Err(poisoned) => (true, poisoned.into_inner().count()),
    };
    // The guard is gone by now (it lived inside the match), so the lock is
    // free; clearing the flag does not need it.
    counter.clear_poison();
    Recovery {
        was_poisoned,
        count,
    }
}

/// The text of a panic payload: `panic!` with a format string carries a
/// `String`, with a literal a `&'static str`.
fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else {
        "a panic with a non-text payload".to_owned()
    }
}
