//! Item 54 in one page: use a lock to prevent data races in threads.
//!
//! Five sensor threads, released together by a `Barrier`, each count 100,000
//! readings into one shared `LockingCounter`. An increment is a read, an add
//! and a write; the lock must be held across all three, or another thread can
//! write in between and its update is lost.
//!
//! Run it: `cargo run -p bw54-lock --example core` (every update counted), then
//! `cargo run -p bw54-lock --example core -- --break` (the lock is taken twice,
//! once to read and once to write, and updates go missing).

use std::sync::{Barrier, Mutex};
use std::thread;

const POISONED: &str = "a sensor thread panicked while holding the lock";

/// The book's `LockingCounter`. The `Mutex` owns the count: the only way to
/// reach it is through `lock()`, and the guard unlocks when it is dropped.
struct LockingCounter {
    count: Mutex<u64>,
}

impl LockingCounter {
    /// Read, add and write under one guard: nobody can come between them.
    fn increment(&self, offset: u64) {
        *self.count.lock().expect(POISONED) += offset;
    }

    /// The same three steps, but the guard of the read is dropped at its `;`
    /// and a new one is taken for the write. `gap` runs in between, where
    /// Python's interpreter may switch threads: in the demo a moment's work
    /// while other threads take the lock, in the test a barrier that forces
    /// the losing interleaving.
    fn increment_in_two_steps(&self, offset: u64, gap: &dyn Fn()) {
        let count = *self.count.lock().expect(POISONED);
        gap();
        *self.count.lock().expect(POISONED) = count + offset;
    }
}

/// The book's `worker`: read a sensor `how_many` times, counting each reading.
fn worker(how_many: u64, counter: &LockingCounter, broken: bool, gap: &dyn Fn()) {
    for _ in 0..how_many {
        if broken {
            // The mistake: the read and the write are each locked, but not together.
            counter.increment_in_two_steps(1, gap);
        } else {
            counter.increment(1);
        }
    }
}

/// Starts `threads` workers together and returns (expected, found).
fn run(broken: bool, threads: usize, how_many: u64, gap: &(dyn Fn() + Sync)) -> (u64, u64) {
    let counter = LockingCounter {
        count: Mutex::new(0),
    };
    let start = Barrier::new(threads);
    // Scoped threads may borrow `counter`: the scope joins them all before it returns.
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                start.wait();
                worker(how_many, &counter, broken, gap);
            });
        }
    });
    let found = *counter.count.lock().expect(POISONED);
    (threads as u64 * how_many, found)
}

/// The gap between the read and the write in `--break`: a moment's work,
/// during which other threads may take the lock. (`thread::yield_now` would
/// widen it too, but it hands the core away 500,000 times: seconds on a busy
/// machine.)
fn a_moment() {
    for _ in 0..100 {
        std::hint::spin_loop();
    }
}

// Try: set the thread count to 1 and run `--break`: nothing is lost, because a
// race needs a second thread to write between the read and the write.
// Try: make `count` an `AtomicU64` and `increment` one `fetch_add(offset)`:
// exact without a lock, and several times faster.
fn main() {
    let broken = std::env::args().any(|a| a == "--break");
    let (expected, found) = run(broken, 5, 100_000, &a_moment);
    println!("Counter should be {expected}, got {found}");
    if found == expected {
        println!("ok: all {expected} updates counted by 5 threads");
    } else {
        println!("broken: lost {} of {expected} updates", expected - found);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_lock_across_read_and_write_counts_every_update() {
        assert_eq!(run(false, 5, 10_000, &|| {}), (50_000, 50_000));
    }

    #[test]
    fn two_locks_lose_every_update_but_one_per_round() {
        // All five threads read the same count, wait for each other, then all
        // write that count + 1: each round of five increments counts as one.
        let all_have_read = Barrier::new(5);
        let gap = || {
            all_have_read.wait();
        };
        assert_eq!(run(true, 5, 200, &gap), (1_000, 200));
    }
}
