//! The checks of this lesson's exercises.
//!
//! By default they run against the reference answers in `solutions/`, so
//! `cargo test --workspace` proves the checks pass on a right answer; with
//! `--features exercises` they run against your files in `exercises/`:
//!
//! ```text
//! cargo test -p bw54-lock --features exercises --test exercises
//! ```
//!
//! A run of threads can only suggest that updates are never lost; these checks
//! prove it with `loom`, which runs a small model once for every interleaving
//! of its threads. Loom needs no special build here: the answers are generic
//! over the lesson's [`Atomic`] and [`Lock`] traits, and the checks plug in
//! loom's atomic and mutex through the wrappers below, as
//! `tests/claims/loom.rs` does for the lesson's own counters. So every verdict
//! about a lost update or a half-seen reading is deterministic.
//!
//! Each catalogued mistake in `tests/mistakes/` must be rejected by its
//! exercise's check, with the words a learner would need; the `mistake_*`
//! tests prove it (without the feature only).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use bw54_lock::sync::{Atomic, Lock};
use course_support::exercise::{Exercise, verdict};

#[path = "shared/loom_sync.rs"]
mod loom_sync;
use loom_sync::{LoomAtomic, LoomMutex};

#[cfg_attr(
    feature = "exercises",
    path = "../exercises/1_lost_update.rs",
    allow(clippy::todo, unused_variables, unused_imports)
)]
#[cfg_attr(not(feature = "exercises"), path = "../solutions/1_lost_update.rs")]
#[allow(unreachable_pub)]
mod lost_update;

#[cfg_attr(
    feature = "exercises",
    path = "../exercises/2_one_critical_section.rs",
    allow(clippy::todo, unused_variables)
)]
#[cfg_attr(
    not(feature = "exercises"),
    path = "../solutions/2_one_critical_section.rs"
)]
#[allow(unreachable_pub)]
mod one_critical_section;

use one_critical_section::Totals;

/// Long enough for any of these runs on a busy machine; only a stuck answer
/// (a thread waiting for a lock nobody releases) reaches it.
const STUCK: Duration = Duration::from_secs(10);

/// Runs `model` under loom, once per interleaving of the threads it starts,
/// and counts how many interleavings ended with each outcome.
fn explore<T>(model: impl Fn() -> T + Send + Sync + 'static) -> BTreeMap<T, usize>
where
    T: Ord + Send + 'static,
{
    // The outcomes are gathered in std types, which loom does not track.
    let outcomes = Arc::new(Mutex::new(BTreeMap::new()));
    let sink = Arc::clone(&outcomes);
    loom::model(move || {
        let outcome = model();
        *sink
            .lock()
            .expect("nothing panics while holding it")
            .entry(outcome)
            .or_insert(0) += 1;
    });
    let mut outcomes = outcomes.lock().expect("nothing panics while holding it");
    std::mem::take(&mut *outcomes)
}

/// How many interleavings `outcomes` holds in all.
fn interleavings<T>(outcomes: &BTreeMap<T, usize>) -> usize {
    outcomes.values().sum()
}

const EX_54_1: Exercise = Exercise::new("54.1", "bw54-lock/exercises/1_lost_update.rs");

/// Exercise 54.1's check: the answer's `increment`, instantiated for std's
/// atomic and for loom's.
fn check_lost_update(
    std_increment: fn(&AtomicU64, u64),
    loom_increment: fn(&LoomAtomic, u64),
) -> Result<(), String> {
    let ex = EX_54_1;
    let count = ex.run("increment", STUCK, move || {
        let count = AtomicU64::new(0);
        for _ in 0..3 {
            std_increment(&count, 1);
        }
        count.into_inner()
    })?;
    ex.ensure(
        count == 3,
        || format!("one thread incremented 3 times by 1 and the count is {count}"),
        "add `offset` to the value the atomic holds",
    )?;

    // Two threads, two increments each, every interleaving.
    let outcomes = ex.run("increment, under loom,", STUCK, move || {
        explore(move || {
            let count = loom::sync::Arc::new(LoomAtomic::new(0));
            let threads: Vec<_> = (0..2)
                .map(|_| {
                    let count = loom::sync::Arc::clone(&count);
                    loom::thread::spawn(move || {
                        for _ in 0..2 {
                            loom_increment(&count, 1);
                        }
                    })
                })
                .collect();
            for thread in threads {
                thread
                    .join()
                    .expect("an incrementing thread does not panic");
            }
            count.load(Ordering::SeqCst)
        })
    })?;
    let total = interleavings(&outcomes);
    let short: Vec<String> = outcomes
        .iter()
        .filter(|&(&count, _)| count != 4)
        .map(|(count, times)| format!("at {count} in {times}"))
        .collect();
    ex.ensure(
        short.is_empty(),
        || {
            format!(
                "two threads each incremented twice, and in some of loom's {total} interleavings \
                 the count did not end at 4 (it ended {} of them): an update was lost",
                short.join(", ")
            )
        },
        "a `load` and a `store` are two steps, and another thread can store between them; \
         use the one operation that reads, adds and writes as a single step",
    )?;

    // The same at full speed, on std's atomic: a backstop, not the proof.
    const THREADS: u64 = 4;
    const EACH: u64 = 10_000;
    let count = ex.run("increment, on four threads,", STUCK, move || {
        let count = AtomicU64::new(0);
        thread::scope(|s| {
            for _ in 0..THREADS {
                s.spawn(|| {
                    for _ in 0..EACH {
                        std_increment(&count, 1);
                    }
                });
            }
        });
        count.into_inner()
    })?;
    ex.ensure(
        count == THREADS * EACH,
        || {
            format!(
                "{THREADS} threads incremented {EACH} times each and the count is {count}, not {}",
                THREADS * EACH
            )
        },
        "make the increment one indivisible step",
    )
}

#[test]
fn exercise_54_1_lost_update() {
    verdict(check_lost_update(
        lost_update::increment,
        lost_update::increment,
    ));
}

const EX_54_2: Exercise = Exercise::new("54.2", "bw54-lock/exercises/2_one_critical_section.rs");

/// One instantiation of the answer: `record` and `snapshot` for mutex `M`.
type Answer<M> = (fn(&M, u64), fn(&M) -> Totals);

/// Exercise 54.2's check: the answer's `record` and `snapshot`, instantiated
/// for std's mutex and for loom's.
fn check_one_critical_section(
    (std_record, std_snapshot): Answer<Mutex<Totals>>,
    (loom_record, loom_snapshot): Answer<LoomMutex<Totals>>,
) -> Result<(), String> {
    let ex = EX_54_2;
    let totals = ex.run("record and snapshot", STUCK, move || {
        let totals = Mutex::new(Totals::default());
        for reading in [3, 4, 5] {
            std_record(&totals, reading);
        }
        std_snapshot(&totals)
    })?;
    ex.ensure(
        totals == Totals { count: 3, sum: 12 },
        || {
            format!(
                "readings of 3, 4 and 5 gave count {}, sum {}; expected count 3, sum 12",
                totals.count, totals.sum
            )
        },
        "each reading adds one to `count` and itself to `sum`",
    )?;

    // Two threads record a reading of 10 each while this one takes a
    // snapshot; then, once both are joined, a last one. Every interleaving.
    const READING: u64 = 10;
    let outcomes = ex.run("record and snapshot, under loom,", STUCK, move || {
        explore(move || {
            let totals = loom::sync::Arc::new(LoomMutex::new(Totals::default()));
            let writers: Vec<_> = (0..2)
                .map(|_| {
                    let totals = loom::sync::Arc::clone(&totals);
                    loom::thread::spawn(move || loom_record(&totals, READING))
                })
                .collect();
            let seen = loom_snapshot(&totals);
            for writer in writers {
                writer.join().expect("a recording thread does not panic");
            }
            let last = loom_snapshot(&totals);
            ((seen.count, seen.sum), (last.count, last.sum))
        })
    })?;
    let total = interleavings(&outcomes);
    let torn: BTreeMap<_, usize> = outcomes
        .iter()
        .filter(|&(&((count, sum), _), _)| sum != READING * count)
        .fold(BTreeMap::new(), |mut torn, (&(seen, _), &times)| {
            *torn.entry(seen).or_insert(0) += times;
            torn
        });
    if let Some((&(count, sum), &times)) = torn.iter().next() {
        return Err(ex.fail(
            format!(
                "in {times} of loom's {total} interleavings a snapshot, taken while two threads \
                 each recorded a reading of {READING}, read count {count} and sum {sum}: it saw \
                 half a reading"
            ),
            "change both fields under one guard bound to a variable (`let mut totals = \
             ...lock()...;`), and read both under one guard; a temporary guard is dropped, \
             and the lock released, at the end of its statement",
        ));
    }
    let lost: Vec<String> = outcomes
        .iter()
        .filter(|&(&(_, last), _)| last != (2, 2 * READING))
        .fold(BTreeMap::new(), |mut lost, (&(_, last), &times)| {
            *lost.entry(last).or_insert(0) += times;
            lost
        })
        .into_iter()
        .map(|((count, sum), times)| format!("count {count}, sum {sum} in {times}"))
        .collect();
    ex.ensure(
        lost.is_empty(),
        || {
            format!(
                "two threads each recorded a reading of {READING}, and in some of loom's {total} \
                 interleavings the totals did not end at count 2, sum {} ({}): a reading was lost",
                2 * READING,
                lost.join("; ")
            )
        },
        "hold the lock from the read to the write; copying the totals out and writing them \
         back under a second lock lets another thread's reading in between, and then erases it",
    )?;

    // The same at full speed on std's mutex: a backstop, not the proof.
    const THREADS: u64 = 4;
    const EACH: u64 = 1_000;
    let totals = ex.run("record, on four threads,", STUCK, move || {
        let totals = Mutex::new(Totals::default());
        thread::scope(|s| {
            for _ in 0..THREADS {
                s.spawn(|| {
                    for reading in 0..EACH {
                        std_record(&totals, reading);
                    }
                });
            }
        });
        std_snapshot(&totals)
    })?;
    let expected = Totals {
        count: THREADS * EACH,
        sum: THREADS * (EACH * (EACH - 1) / 2),
    };
    ex.ensure(
        totals == expected,
        || {
            format!(
                "{THREADS} threads recorded {EACH} readings each and the totals are count {}, \
                 sum {}; expected count {}, sum {}",
                totals.count, totals.sum, expected.count, expected.sum
            )
        },
        "change both totals in one critical section",
    )
}

#[test]
fn exercise_54_2_one_critical_section() {
    verdict(check_one_critical_section(
        (one_critical_section::record, one_critical_section::snapshot),
        (one_critical_section::record, one_critical_section::snapshot),
    ));
}

/// Wrong answers the checks must reject, each with the words that point to
/// its fix.
#[cfg(not(feature = "exercises"))]
#[allow(unreachable_pub)]
mod mistakes {
    use super::*;
    use course_support::exercise::rejected;

    #[path = "2_copy_out_and_back.rs"]
    mod copy_out_and_back;
    #[path = "2_guard_per_field.rs"]
    mod guard_per_field;
    #[path = "1_load_then_store.rs"]
    mod load_then_store;

    #[test]
    fn mistake_54_1_load_then_store() {
        rejected(
            check_lost_update(load_then_store::increment, load_then_store::increment),
            "an update was lost",
        );
    }

    #[test]
    fn mistake_54_2_guard_per_field() {
        rejected(
            check_one_critical_section(
                (guard_per_field::record, guard_per_field::snapshot),
                (guard_per_field::record, guard_per_field::snapshot),
            ),
            "read count 1 and sum 0: it saw half a reading",
        );
    }

    #[test]
    fn mistake_54_2_copy_out_and_back() {
        rejected(
            check_one_critical_section(
                (copy_out_and_back::record, copy_out_and_back::snapshot),
                (copy_out_and_back::record, copy_out_and_back::snapshot),
            ),
            "a reading was lost",
        );
    }
}
