//! Step 5: share nothing — count locally, combine once at the end.
//!
//! The cheapest synchronisation is none. Each thread counts its own readings
//! in its own [`Counter`] (plain, `&mut`, no lock, no atomic), and returns the
//! total when it finishes; the joins hand the totals to the main thread, which
//! adds them up. The threads never touch shared memory while counting, so
//! there is nothing to race on and nothing to wait for.
//!
//! It fits whenever nobody needs the running total *while* the threads work
//! — the book's scenario only reads the count after joining. When the total
//! must be visible as it grows, a shared [`AtomicCounter`](crate::AtomicCounter)
//! is the next cheapest.

use std::sync::Barrier;

use crate::plain::Counter;
use crate::workers::{Outcome, spawn_sensor};

/// One sensor thread counting into its own [`Counter`]; returns its total.
pub fn local_worker(sensor_index: usize, how_many: u64) -> u64 {
    let mut counter = Counter::new();
    for _ in 0..how_many {
        std::hint::black_box(sensor_index);
        // `black_box(1)`: otherwise the optimiser folds the whole loop into
        // one `count += how_many`. That would be a fair win for local
        // counting, but the comparison is about the cost of one increment.
        counter.increment(std::hint::black_box(1));
    }
    counter.count()
}

/// The book's scenario with per-thread counting: `threads` workers released
/// together, each counting `how_many` readings locally; the main thread sums
/// what the joins return.
///
/// # Panics
///
/// If a worker panics, its panic is propagated here as it was.
pub fn count_locally(threads: usize, how_many: u64) -> Outcome {
    let barrier = Barrier::new(threads);
    let found = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|sensor_index| {
                spawn_sensor(s, sensor_index, &barrier, move || {
                    local_worker(sensor_index, how_many)
                })
            })
            .collect();
        // The combining step: the only place the threads' results meet, and
        // it happens after each thread has finished.
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .sum()
    });
    Outcome {
        expected: threads as u64 * how_many,
        found,
    }
}
