//! The same map — `gcd` over every pair — on one thread, on N std threads,
//! and on a rayon pool of N threads.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use rayon::prelude::*;

use crate::gcd::gcd;

/// One pair after another: the baseline.
pub fn serial(pairs: &[(u64, u64)]) -> Vec<u64> {
    pairs.iter().copied().map(traced_gcd).collect()
}

/// [`gcd`] inside a `gcd pair` span: one span per unit of CPU work, on the
/// lane of the thread that computes it. (Not inside `gcd` itself: the demo
/// also times thousands of trivial pairs, where a span each would be the
/// bigger part of what is measured.)
fn traced_gcd(pair: (u64, u64)) -> u64 {
    let _span = tracing::info_span!("gcd pair").entered();
    gcd(pair)
}

/// `threads` scoped threads taking pairs one at a time from a shared index,
/// the way `ThreadPoolExecutor.map` hands out work. In Python these threads
/// take turns holding the GIL and finish no sooner than one thread; in Rust
/// they run on separate cores at once.
///
/// # Panics
///
/// If `threads` is zero.
pub fn std_threads(pairs: &[(u64, u64)], threads: usize) -> Vec<u64> {
    assert!(threads > 0, "at least one thread is needed");
    let next = AtomicUsize::new(0);
    let mut results = vec![0; pairs.len()];
    thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|n| {
                // Named, so that a timeline shows a lane per worker.
                thread::Builder::new()
                    .name(format!("worker {n}"))
                    .spawn_scoped(s, || {
                        // Dynamic hand-out: a thread that drew short pairs takes
                        // more. Each thread returns what it computed through
                        // `join`, so no result needs a lock.
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(&pair) = pairs.get(i) else { break };
                            done.push((i, traced_gcd(pair)));
                        }
                        done
                    })
                    .expect("the OS starts a thread")
            })
            .collect();
        for worker in workers {
            for (i, value) in worker
                .join()
                .expect("gcd does not panic on the book's pairs")
            {
                results[i] = value;
            }
        }
    });
    results
}

/// A rayon pool of `threads` threads mapping `gcd` over the pairs.
pub fn rayon_pool(
    pairs: &[(u64, u64)],
    threads: usize,
) -> Result<Vec<u64>, rayon::ThreadPoolBuildError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|n| format!("worker {n}"))
        .build()?;
    // One pair per task: with ten uneven pairs, fine-grained stealing is
    // what balances the cores.
    Ok(pool.install(|| {
        pairs
            .par_iter()
            .with_max_len(1)
            .copied()
            .map(traced_gcd)
            .collect()
    }))
}
