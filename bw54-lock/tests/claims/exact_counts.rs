//! The book's scenario at full size (five threads × 100,000 increments), run
//! for real: the `Mutex`, `fetch_add` and per-thread counters are exact, and
//! the racy one, whatever it loses, never counts more than it was told to.

use bw54_lock::{
    AtomicCounter, Counter, LockingCounter, Outcome, RacyCounter, SharedCounter, count_locally,
    count_with_threads, worker,
};

/// The book's numbers.
const THREADS: usize = 5;
const HOW_MANY: u64 = 100_000;
const EXPECTED: u64 = THREADS as u64 * HOW_MANY;

#[test]
fn locking_counter_is_exact() {
    let outcome = count_with_threads(&LockingCounter::new(), THREADS, HOW_MANY);
    assert_eq!(outcome.expected, EXPECTED);
    assert_eq!(outcome.found, EXPECTED, "{outcome}");
    assert!(outcome.is_exact());
}

#[test]
fn atomic_counter_is_exact() {
    let outcome = count_with_threads(&AtomicCounter::new(), THREADS, HOW_MANY);
    assert_eq!(outcome.found, EXPECTED, "{outcome}");
}

#[test]
fn local_counting_is_exact() {
    let outcome = count_locally(THREADS, HOW_MANY);
    assert_eq!(outcome.expected, EXPECTED);
    assert_eq!(outcome.found, EXPECTED, "{outcome}");
}

#[test]
fn racy_counter_never_counts_more_than_it_was_told() {
    // Each store writes one more than some value an earlier store wrote, so
    // the racy counter can only fall short. How far short is up to timing:
    // a thread that loaded a value long ago and stores it back late erases
    // everything counted meanwhile, even most of a thread's own work, so no
    // lower bound but "something was counted" holds. Whether it can fall
    // short at all is proved in tests/claims/loom.rs.
    let outcome = count_with_threads(&RacyCounter::new(), THREADS, HOW_MANY);
    assert!(outcome.found <= EXPECTED, "{outcome}");
    assert!(outcome.found >= 1, "{outcome}");
    assert_eq!(outcome.lost(), EXPECTED - outcome.found);
}

#[test]
fn racy_counter_is_exact_on_one_thread() {
    // With nobody to interleave with, the split load/store is harmless.
    let outcome = count_with_threads(&RacyCounter::new(), 1, HOW_MANY);
    assert_eq!(outcome.found, HOW_MANY, "{outcome}");
}

#[test]
fn worker_counts_every_reading() {
    let counter = AtomicCounter::new();
    worker(3, 1234, &counter);
    assert_eq!(counter.count(), 1234);
}

#[test]
fn counters_start_at_zero_and_add_offsets() {
    let mut plain = Counter::new();
    plain.increment(2);
    plain.increment(5);
    assert_eq!(plain.count(), 7);

    let counters: [&dyn SharedCounter; 3] = [
        &RacyCounter::new(),
        &LockingCounter::new(),
        &AtomicCounter::new(),
    ];
    for counter in counters {
        assert_eq!(counter.count(), 0);
        counter.increment(2);
        counter.increment(5);
        assert_eq!(counter.count(), 7);
    }
}

#[test]
fn outcome_prints_the_books_line() {
    let outcome = Outcome {
        expected: 500_000,
        found: 287_123,
    };
    assert_eq!(outcome.to_string(), "Counter should be 500000, got 287123");
    assert_eq!(outcome.lost(), 212_877);
    assert!(!outcome.is_exact());
}

#[test]
fn no_threads_count_nothing() {
    assert_eq!(
        count_with_threads(&AtomicCounter::new(), 0, HOW_MANY),
        Outcome {
            expected: 0,
            found: 0
        }
    );
    assert_eq!(count_locally(0, HOW_MANY).found, 0);
}
