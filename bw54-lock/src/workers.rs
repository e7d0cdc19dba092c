//! The book's scenario: sensor threads counting into one shared counter.
//!
//! Five threads each read a sensor 100,000 times and count every reading in
//! the same counter. [`worker`] is the book's `worker(sensor_index, how_many,
//! counter)`; [`count_with_threads`] is its `main`: start the threads, release
//! them together at a barrier, join them all, compare the count with what it
//! should be.

use std::fmt;
use std::sync::Barrier;
use std::thread::{Scope, ScopedJoinHandle};

/// A counter that threads can share (`&self` increments, `Sync`).
///
/// Every shared counter of this lesson implements it, so one scenario runs
/// them all and the difference between them is only how `increment` is made
/// safe — or not.
pub trait SharedCounter: Sync {
    /// Adds `offset` to the count; may be called from many threads at once.
    fn increment(&self, offset: u64);

    /// The count. Read it after the incrementing threads are joined: the join
    /// is what guarantees every increment is visible.
    fn count(&self) -> u64;
}

/// What a run counted against what it should have counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// `threads × how_many`: one count per reading.
    pub expected: u64,
    /// What the counter said after every thread was joined.
    pub found: u64,
}

impl Outcome {
    /// How many increments the counter lost (zero when it is exact).
    ///
    /// None of the lesson's counters can count *more* than it was told to, so
    /// this never underflows; `saturating_sub` keeps it total anyway.
    pub fn lost(&self) -> u64 {
        self.expected.saturating_sub(self.found)
    }

    /// Whether the counter got exactly the right answer.
    pub fn is_exact(&self) -> bool {
        self.found == self.expected
    }
}

impl fmt::Display for Outcome {
    /// The book's line, word for word.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Counter should be {}, got {}", self.expected, self.found)
    }
}

/// The book's `worker`: read sensor `sensor_index` `how_many` times, counting
/// each reading with `counter.increment(1)`.
///
/// Unlike the book's, this worker does not wait at the barrier itself; its
/// caller does. That keeps it usable where a barrier is pointless: the loom
/// tests run it under every possible interleaving, so they do not need luck
/// (or a barrier) to make the threads overlap.
pub fn worker<C: SharedCounter + ?Sized>(sensor_index: usize, how_many: u64, counter: &C) {
    for _ in 0..how_many {
        // Read from the sensor. As in the book nothing happens here; this is
        // where blocking I/O would go. `black_box` stops the compiler from
        // noticing that, so the loop stays a loop of real increments.
        std::hint::black_box(sensor_index);
        counter.increment(1);
    }
}

/// The book's `main`: `threads` workers, released together, each counting
/// `how_many` readings into `counter`.
///
/// The barrier matters for the demonstration, not for correctness: starting
/// a thread takes tens of microseconds, long enough for an early thread to
/// finish a short loop before the next one starts, and threads that never
/// overlap never race. With the barrier they all start counting at once.
///
/// The threads are scoped, so they can borrow `counter` and are all joined
/// before this returns.
///
/// # Panics
///
/// If a worker panics (a poisoned [`LockingCounter`](crate::LockingCounter)
/// does), the panic is propagated here once every thread has finished.
pub fn count_with_threads<C: SharedCounter>(counter: &C, threads: usize, how_many: u64) -> Outcome {
    let barrier = Barrier::new(threads);
    std::thread::scope(|s| {
        for sensor_index in 0..threads {
            spawn_sensor(s, sensor_index, &barrier, move || {
                worker(sensor_index, how_many, counter);
            });
        }
        // Leaving the scope joins every thread.
    });
    Outcome {
        expected: threads as u64 * how_many,
        found: counter.count(),
    }
}

/// Starts sensor thread `sensor_index` in `scope`: named `worker N`, it waits
/// at `barrier` with the others, then runs `count` inside a `count` span.
///
/// The span is what a trace (`--trace FILE`) or a recorded timeline draws: a
/// lane per worker thread, busy from the release to the last increment. It
/// opens after the barrier, so the lanes show the counting, not the wait for
/// the slowest thread to start; and it wraps the whole loop, never one
/// increment, so it costs nothing measurable.
///
/// # Panics
///
/// If the operating system cannot start another thread (as
/// [`Scope::spawn`] would).
pub(crate) fn spawn_sensor<'scope, T: Send + 'scope>(
    scope: &'scope Scope<'scope, '_>,
    sensor_index: usize,
    barrier: &'scope Barrier,
    count: impl FnOnce() -> T + Send + 'scope,
) -> ScopedJoinHandle<'scope, T> {
    std::thread::Builder::new()
        .name(format!("worker {sensor_index}"))
        .spawn_scoped(scope, move || {
            barrier.wait();
            let _count = tracing::info_span!("count", sensor_index).entered();
            count()
        })
        .expect("the operating system starts a sensor thread")
}
