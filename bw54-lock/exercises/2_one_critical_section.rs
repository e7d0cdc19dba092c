//! 연습 54.2 — 함께 바뀌는 값은 한 번의 잠금 안에서 / Exercise 54.2 — values that change together, under one lock
//!
//! A sensor keeps two totals: how many readings it took, and their sum.
//! Whoever reads them must see both from the same moment — a count of three
//! with the sum of only two readings describes readings that never happened.
//! Both totals live in one mutex; write the code that records a reading and
//! the code that reads the totals.
//!
//! Run the checks: `cargo test -p bw54-lock --features exercises --test exercises exercise_54_2`

use bw54_lock::sync::Lock;

/// A sensor's totals: `sum` is the sum of `count` readings, so the two always
/// change together.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    /// How many readings were recorded.
    pub count: u64,
    /// The sum of those readings.
    pub sum: u64,
}

/// Records one `reading` in `totals`: `count` grows by one and `sum` by
/// `reading`, as one step — no other thread may see one field changed and
/// not the other, or change them in between.
///
/// `totals` is a mutex: std's `Mutex<Totals>` in a normal run, loom's in the
/// checks, both through the lesson's [`Lock`] trait. `totals.lock()` returns a
/// `LockResult` holding a guard (`Err` only if another thread panicked while
/// holding the lock — an `expect` is fine here); the guard derefs to
/// `&mut Totals`, and the lock is held until the guard is dropped.
///
/// Hint: a guard that is not bound to a variable, as in
/// `totals.lock().expect("...").count += 1;`, is dropped at the end of that
/// statement — and the lock with it.
///
/// The checks verify, together with [`snapshot`], that:
/// - readings of 3, 4 and 5 on one thread give `count` 3 and `sum` 12;
/// - in every interleaving of two threads recording a reading of 10 while a
///   third takes a snapshot — all of them, tried by the `loom` model checker —
///   the snapshot never shows half a reading (`sum` is always 10 × `count`)
///   and the totals end at `count` 2, `sum` 20 (no reading lost);
/// - four threads recording 1,000 readings each lose none.
pub fn record<M: Lock<Totals>>(totals: &M, reading: u64) {
    todo!("exercise 54.2")
}

/// Both totals as they are at one moment, read under the lock.
pub fn snapshot<M: Lock<Totals>>(totals: &M) -> Totals {
    todo!("exercise 54.2")
}
