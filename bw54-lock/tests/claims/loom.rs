//! Proofs by exhaustive interleaving, with the loom model checker.
//!
//! A run of the demo can only show that updates *were* lost this time. Loom
//! runs a closure once for every order in which its threads' atomic and
//! mutex operations can interleave, so these tests prove two things for all
//! schedules, not just for the ones a run happened to hit:
//!
//! - the crate's [`RacyCounter`] *can* lose an update: some interleaving of
//!   two threads ends with a count below the number of increments;
//! - the crate's [`LockingCounter`] and [`AtomicCounter`] *never* do: every
//!   interleaving ends with the exact count.
//!
//! The counters and the [`worker`] loop are the library's own code. Loom sees
//! only its own primitives, so the wrappers of `tests/shared/loom_sync.rs` plug loom's `AtomicU64` and
//! `Mutex` into the library's [`Atomic`] and [`Lock`] traits; they forward
//! calls and nothing else. The models are tiny (two threads, one or two
//! increments each) so the whole file runs in well under a second. To see how
//! many interleavings each model ran and which counts they ended with:
//! `cargo test -p bw54-lock --test claims loom:: -- --nocapture`.

use std::collections::BTreeSet;
use std::sync::Arc as StdArc;
use std::sync::Mutex as StdMutex;
use std::sync::MutexGuard as StdMutexGuard;

use crate::loom_sync::{LoomAtomic, LoomMutex};
use bw54_lock::{AtomicCounter, Counter, LockingCounter, RacyCounter, SharedCounter, worker};

/// What the exploration found: every final count any interleaving produced,
/// and how many interleavings loom ran.
#[derive(Debug, Default)]
struct Explored {
    final_counts: BTreeSet<u64>,
    executions: usize,
}

/// Runs the book's scenario under loom: `threads` threads, each running the
/// library's [`worker`] for `how_many` increments on one shared `C`, in every
/// possible interleaving.
fn explore<C>(threads: usize, how_many: u64) -> Explored
where
    C: SharedCounter + Default + Send + 'static,
{
    // Loom runs the closure many times; the results are gathered outside it,
    // in std types loom does not track.
    let explored = StdArc::new(StdMutex::new(Explored::default()));
    let sink = StdArc::clone(&explored);
    loom::model(move || {
        let counter = loom::sync::Arc::new(C::default());
        // No barrier: loom tries every schedule, including the ones where all
        // threads overlap, without needing luck to make them overlap.
        let handles: Vec<_> = (0..threads)
            .map(|sensor_index| {
                let counter = loom::sync::Arc::clone(&counter);
                loom::thread::spawn(move || worker(sensor_index, how_many, &*counter))
            })
            .collect();
        for handle in handles {
            handle.join().expect("a worker does not panic");
        }
        let mut explored = lock_std(&sink);
        explored.final_counts.insert(counter.count());
        explored.executions += 1;
    });
    let mut explored = lock_std(&explored);
    std::mem::take(&mut *explored)
}

fn lock_std<T>(mutex: &StdMutex<T>) -> StdMutexGuard<'_, T> {
    mutex
        .lock()
        .expect("only the model's assertions could poison it, and they do not run under it")
}

type LoomRacy = RacyCounter<LoomAtomic>;
type LoomLocking = LockingCounter<LoomMutex<Counter>>;
type LoomFetchAdd = AtomicCounter<LoomAtomic>;

#[test]
fn racy_counter_can_lose_an_update() {
    let explored = explore::<LoomRacy>(2, 1);
    println!("{explored:?}");
    // Two increments; the interleaving load A, load B, store A, store B
    // leaves 1. Loom must find it as well as the ones that leave 2.
    assert_eq!(
        explored.final_counts,
        BTreeSet::from([1, 2]),
        "{explored:?}"
    );
}

#[test]
fn racy_counter_with_two_increments_each_can_end_at_two_three_or_four() {
    let explored = explore::<LoomRacy>(2, 2);
    println!("{explored:?}");
    // Every outcome between "each thread's second store overwrote the other
    // thread's work" (2) and exact (4) happens in some interleaving. Below 2
    // is impossible: a thread's second store writes at least 1 + 1.
    assert_eq!(
        explored.final_counts,
        BTreeSet::from([2, 3, 4]),
        "{explored:?}"
    );
}

#[test]
fn locking_counter_never_loses_an_update() {
    let explored = explore::<LoomLocking>(2, 2);
    println!("{explored:?}");
    assert_eq!(explored.final_counts, BTreeSet::from([4]), "{explored:?}");
    // Not a vacuous proof: the threads really were interleaved many ways.
    assert!(explored.executions > 1, "{explored:?}");
}

#[test]
fn atomic_counter_never_loses_an_update() {
    let explored = explore::<LoomFetchAdd>(2, 2);
    println!("{explored:?}");
    assert_eq!(explored.final_counts, BTreeSet::from([4]), "{explored:?}");
    assert!(explored.executions > 1, "{explored:?}");
}

#[test]
fn atomic_counter_is_exact_with_three_threads() {
    let explored = explore::<LoomFetchAdd>(3, 1);
    println!("{explored:?}");
    assert_eq!(explored.final_counts, BTreeSet::from([3]), "{explored:?}");
}
