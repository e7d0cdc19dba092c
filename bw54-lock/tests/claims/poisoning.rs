//! A panic while holding the lock poisons it; the data stays reachable
//! through `PoisonError::into_inner`, and `clear_poison` makes the lock
//! usable again.

use std::panic::{AssertUnwindSafe, catch_unwind};

use bw54_lock::poison::{Recovery, panic_mid_batch, recover};
use bw54_lock::{LockingCounter, SharedCounter};

#[test]
fn a_complete_batch_leaves_the_lock_healthy() {
    let counter = LockingCounter::new();
    assert_eq!(panic_mid_batch(&counter, 10, 10), None);
    assert!(!counter.is_poisoned());
    assert_eq!(counter.count(), 10);
    assert_eq!(
        recover(&counter),
        Recovery {
            was_poisoned: false,
            count: 10
        }
    );
}

#[test]
fn panic_while_holding_the_lock_poisons_it() {
    let counter = LockingCounter::new();
    let message = panic_mid_batch(&counter, 10, 5).expect("reading 5 panics");
    assert_eq!(message, "sensor read 5 failed");
    assert!(counter.is_poisoned());
    // Every later lock() reports it, until someone clears it.
    assert!(counter.lock().is_err());
    assert!(counter.lock().is_err());
}

#[test]
fn poisoned_data_is_reachable_through_into_inner() {
    let counter = LockingCounter::new();
    panic_mid_batch(&counter, 10, 5).expect("reading 5 panics");
    let guard = counter
        .lock()
        .expect_err("the lock is poisoned")
        .into_inner();
    // Readings 0..5 were counted before reading 5 panicked: half the batch,
    // the inconsistency the poison flag warns about.
    assert_eq!(guard.count(), 5);
    drop(guard);
    // Reading through the poison does not clear it.
    assert!(counter.is_poisoned());
}

#[test]
fn clear_poison_makes_the_lock_usable_again() {
    let counter = LockingCounter::new();
    panic_mid_batch(&counter, 10, 5).expect("reading 5 panics");
    counter.clear_poison();
    assert!(!counter.is_poisoned());
    counter.increment(1);
    assert_eq!(counter.count(), 6);
}

#[test]
fn recover_reads_through_the_poison_and_clears_it() {
    let counter = LockingCounter::new();
    panic_mid_batch(&counter, 10, 5).expect("reading 5 panics");
    assert_eq!(
        recover(&counter),
        Recovery {
            was_poisoned: true,
            count: 5
        }
    );
    assert!(counter.lock().is_ok());
    // A second recover finds nothing to recover from.
    assert!(!recover(&counter).was_poisoned);
}

#[test]
fn a_poisoned_counter_spreads_the_panic() {
    let counter = LockingCounter::new();
    panic_mid_batch(&counter, 10, 5).expect("reading 5 panics");
    // SharedCounter::increment does not guess whether the half batch is
    // acceptable: it panics too, naming the cause.
    let spread = catch_unwind(AssertUnwindSafe(|| counter.increment(1)))
        .expect_err("incrementing a poisoned counter panics");
    let message = spread
        .downcast_ref::<String>()
        .expect("expect() panics with a String");
    assert!(message.contains("poisoned"), "{message}");
    // And it did not count.
    assert_eq!(recover(&counter).count, 5);
}
