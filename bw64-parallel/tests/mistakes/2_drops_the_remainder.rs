//! Mistake: equal slices of `pairs.len() / threads` pairs. The division
//! rounds down, so with 11 pairs on 3 threads the last 2 pairs are never
//! computed, and their results are left at 0.

use std::thread;

pub fn parallel_map(
    pairs: &[(u64, u64)],
    threads: usize,
    gcd: &(dyn Fn((u64, u64)) -> u64 + Sync),
) -> Vec<u64> {
    let chunk = pairs.len() / threads;
    let mut results = vec![0; pairs.len()];
    thread::scope(|s| {
        for (t, out) in results.chunks_mut(chunk.max(1)).take(threads).enumerate() {
            let mine = &pairs[t * chunk..(t + 1) * chunk];
            s.spawn(move || {
                for (slot, &pair) in out.iter_mut().zip(mine) {
                    *slot = gcd(pair);
                }
            });
        }
    });
    results
}
