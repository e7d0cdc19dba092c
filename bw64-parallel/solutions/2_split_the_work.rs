//! Threads that pull the next index from a shared counter balance uneven
//! pairs by themselves, and returning `(index, result)` through `join`
//! needs no lock around the work.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// `gcd` of every pair on `threads` scoped threads, results in order.
pub fn parallel_map(
    pairs: &[(u64, u64)],
    threads: usize,
    gcd: &(dyn Fn((u64, u64)) -> u64 + Sync),
) -> Vec<u64> {
    let next = AtomicUsize::new(0);
    let mut results = vec![0; pairs.len()];
    thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    // Each index is handed out once: `fetch_add` returns it
                    // to exactly one thread.
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&pair) = pairs.get(i) else { break };
                        done.push((i, gcd(pair)));
                    }
                    done
                })
            })
            .collect();
        for worker in workers {
            for (i, value) in worker.join().expect("gcd does not panic") {
                results[i] = value;
            }
        }
    });
    results
}
