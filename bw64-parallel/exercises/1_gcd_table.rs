//! 연습 64.1 — 한 번 쓰고 스레드와 프로세스에서 돌리기 / Exercise 64.1 — write it once, run it on threads and on processes
//!
//! The book ends item 64 on `concurrent.futures`: code written against the
//! executor's interface moves from threads to processes by changing the one
//! line that creates the executor. Write such code: it gets an `Executor`
//! and must not care which.
//!
//! Run the checks: `cargo test -p bw64-parallel --features exercises --test exercises exercise_64_1`

use bw64_parallel::{Executor, PoolError};

/// The gcd of every two of `numbers` (all positive), as a table:
/// `table[i][j]` is the gcd of `numbers[i]` and `numbers[j]`.
///
/// Compute the gcds with `executor.map(&pairs)`, which spreads the pairs
/// over the executor's workers and returns their gcds in the pairs' order.
/// One call does it all: `map` returns only when every answer is in, so a
/// call per pair would keep all workers but one idle. Send each pair of
/// positions `i < j` once — the gcd is symmetric, and the gcd of a number
/// with itself is the number — and fill both cells from its answer. Return
/// the executor's error if it fails.
///
/// The checks run this same function on a `ThreadPoolExecutor` and on a
/// `ProcessPoolExecutor` (worker processes fed through pipes), and verify
/// that:
/// - every cell of the table is exact, on both;
/// - `map` is called once, with every pair `i < j` exactly once and nothing
///   else;
/// - an executor's error comes back as the `Err`.
pub fn gcd_table(executor: &mut dyn Executor, numbers: &[u64]) -> Result<Vec<Vec<u64>>, PoolError> {
    todo!()
}
