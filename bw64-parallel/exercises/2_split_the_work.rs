//! 연습 64.2 — CPU 작업을 나눠 여러 코어에서 계산하기 / Exercise 64.2 — split CPU work over the cores
//!
//! Python needs processes for this; Rust has no GIL, so threads of one
//! process compute on every core at once. Split a CPU-bound map over a
//! fixed number of threads.
//!
//! Run the checks: `cargo test -p bw64-parallel --features exercises --test exercises exercise_64_2`

/// Computes `gcd(pair)` for every pair on `threads` threads (`threads` ≥ 1),
/// and returns the results in the pairs' order.
///
/// Start exactly `threads` threads (`std::thread::scope` lets them borrow
/// `pairs` and `gcd`) and give every pair to exactly one of them: each can
/// take the next index from a shared `AtomicUsize` until none is left, or
/// take a slice of `pairs.len().div_ceil(threads)` pairs. Call `gcd` outside
/// any lock — a thread that holds a lock while it computes makes the others
/// wait, which is Python's GIL rebuilt by hand — and bring the results back
/// through `join` (or a rayon pool of `threads` threads and `par_iter`).
///
/// The checks call this with 11 uneven pairs and 3 threads, with a `gcd`
/// that counts its calls, and verify that:
/// - every pair goes to `gcd` exactly once, and every result is exact and in
///   order;
/// - 3 calls of `gcd` run at once, never more;
/// - none is still running when this returns.
pub fn parallel_map(
    pairs: &[(u64, u64)],
    threads: usize,
    gcd: &(dyn Fn((u64, u64)) -> u64 + Sync),
) -> Vec<u64> {
    todo!()
}
