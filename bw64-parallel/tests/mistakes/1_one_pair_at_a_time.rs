//! Mistake: one `map` call per pair. Every table is right, but each call
//! waits for its single answer before the next pair leaves: however many
//! workers the executor has, one computes at a time — serial work paying
//! for a pool.

use bw64_parallel::{Executor, PoolError};

pub fn gcd_table(executor: &mut dyn Executor, numbers: &[u64]) -> Result<Vec<Vec<u64>>, PoolError> {
    let n = numbers.len();
    let mut table = vec![vec![0; n]; n];
    for i in 0..n {
        table[i][i] = numbers[i];
        for j in i + 1..n {
            let divisor = executor.map(&[(numbers[i], numbers[j])])?[0];
            table[i][j] = divisor;
            table[j][i] = divisor;
        }
    }
    Ok(table)
}
