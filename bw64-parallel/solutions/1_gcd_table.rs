//! Gather every pair first and map them in one call, so the executor can
//! spread them over all its workers; each pair `i < j` travels once, because
//! every pair sent to a process is copied through its pipes.

use bw64_parallel::{Executor, PoolError};

/// The gcd of every two of `numbers`, computed on `executor`.
pub fn gcd_table(executor: &mut dyn Executor, numbers: &[u64]) -> Result<Vec<Vec<u64>>, PoolError> {
    let n = numbers.len();
    let positions: Vec<(usize, usize)> = (0..n)
        .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
        .collect();
    let pairs: Vec<(u64, u64)> = positions
        .iter()
        .map(|&(i, j)| (numbers[i], numbers[j]))
        .collect();
    // The one call that uses the workers; the answers come in the pairs' order.
    let divisors = executor.map(&pairs)?;
    let mut table = vec![vec![0; n]; n];
    for (i, &number) in numbers.iter().enumerate() {
        table[i][i] = number;
    }
    for (&(i, j), divisor) in positions.iter().zip(divisors) {
        table[i][j] = divisor;
        table[j][i] = divisor;
    }
    Ok(table)
}
