//! Mistake: every cell sent as its own pair — (a, b) and (b, a), and (a, a)
//! on the diagonal. One call, a right table, and more than twice the work:
//! on processes every extra pair is formatted, piped, parsed and answered.

use bw64_parallel::{Executor, PoolError};

pub fn gcd_table(executor: &mut dyn Executor, numbers: &[u64]) -> Result<Vec<Vec<u64>>, PoolError> {
    let pairs: Vec<(u64, u64)> = numbers
        .iter()
        .flat_map(|&a| numbers.iter().map(move |&b| (a, b)))
        .collect();
    let divisors = executor.map(&pairs)?;
    Ok(divisors
        .chunks(numbers.len().max(1))
        .map(<[u64]>::to_vec)
        .collect())
}
