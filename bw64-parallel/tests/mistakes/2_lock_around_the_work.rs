//! Mistake: the results collected with `results.lock().push((i, gcd(pair)))`.
//! The lock is taken before its argument is evaluated, so each `gcd` runs
//! while its thread holds the lock: the threads take turns, one gcd at a
//! time — Python's GIL, rebuilt by hand.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

pub fn parallel_map(
    pairs: &[(u64, u64)],
    threads: usize,
    gcd: &(dyn Fn((u64, u64)) -> u64 + Sync),
) -> Vec<u64> {
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&pair) = pairs.get(i) else { break };
                    results.lock().expect("no gcd panics").push((i, gcd(pair)));
                }
            });
        }
    });
    let mut results = results.into_inner().expect("no gcd panics");
    results.sort_unstable();
    results.into_iter().map(|(_, value)| value).collect()
}
