//! Mistake: a thread for every pair. All the results are right, but
//! `threads` no longer bounds anything: 11 threads compete for the cores,
//! each paying its start-up, where 3 were asked for.

use std::thread;

pub fn parallel_map(
    pairs: &[(u64, u64)],
    _threads: usize,
    gcd: &(dyn Fn((u64, u64)) -> u64 + Sync),
) -> Vec<u64> {
    thread::scope(|s| {
        let workers: Vec<_> = pairs
            .iter()
            .map(|&pair| s.spawn(move || gcd(pair)))
            .collect();
        workers
            .into_iter()
            .map(|worker| worker.join().expect("gcd does not panic"))
            .collect()
    })
}
