//! 연습 54.1 — 잃어버린 갱신 고치기 / Exercise 54.1 — fix the lost update
//!
//! Five sensor threads count their readings into one shared atomic number.
//! The increment was first written the way the book's `self.count += offset`
//! runs: a read, then a write. Another thread can write between the two, and
//! its update is lost. Make the increment one step that no thread can come
//! between.
//!
//! Run the checks: `cargo test -p bw54-lock --features exercises --test exercises exercise_54_1`

use std::sync::atomic::Ordering;

use bw54_lock::sync::Atomic;

/// Adds `offset` to `count`, which several threads increment at the same
/// time, without ever losing one of their updates.
///
/// The racy version compiles, and loses updates:
///
/// ```text
/// let old = count.load(Ordering::SeqCst);
/// // another thread may store here; its update is then overwritten
/// count.store(old + offset, Ordering::SeqCst);
/// ```
///
/// `count` is any [`Atomic`]: std's `AtomicU64` in a normal run, loom's in
/// the checks. The trait has std's `load`, `store` and `fetch_add`, with
/// std's signatures. Memory orderings will not help: even `SeqCst` cannot
/// glue two operations into one (see `bw54_lock::racy`).
///
/// Hint: which of the three operations reads, adds and writes as one step?
///
/// The checks verify that:
/// - one thread incrementing three times counts 3;
/// - in every interleaving of two threads incrementing twice each — all of
///   them, tried one by one by the `loom` model checker — the count ends at 4;
/// - four threads incrementing 10,000 times each count 40,000.
pub fn increment<A: Atomic>(count: &A, offset: u64) {
    todo!("exercise 54.1")
}
