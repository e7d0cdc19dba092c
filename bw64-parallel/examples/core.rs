//! Item 64: for CPU-bound work, use real parallelism. Python needs processes
//! (`ProcessPoolExecutor`) to get past the GIL; Rust threads compute on every
//! core, and rayon splits the work for you.
//!
//! This program computes the book's slow `gcd` of its ten pairs serially,
//! then on a rayon pool of two threads with `par_iter().map(gcd).collect()`,
//! and checks every divisor against Euclid's algorithm. It counts how many
//! `gcd` calls were running at once: two, one per thread.
//!
//! Run it: `cargo run -p bw64-parallel --example core`.
//! Break it: `cargo run -p bw64-parallel --example core -- --break` collects
//! the results into a shared `Mutex<Vec>` with `results.lock().push(gcd(..))`:
//! the lock is taken before `gcd` runs, so the threads take turns — Python's
//! GIL, rebuilt by hand — and only one `gcd` ever runs at a time.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::Instant;

use bw64_parallel::{NUMBERS, gcd, gcd_euclid};
use rayon::prelude::*;

// Try: 1 thread — the peak drops to 1 and the parallel run takes as long as
// the serial one.
const THREADS: usize = 2;

/// Computes the gcds on a pool of `THREADS`; returns how many ran at most at
/// once and the verdict.
fn run(broken: bool) -> (usize, String) {
    let started = Instant::now();
    let serial: Vec<u64> = NUMBERS.iter().map(|&pair| gcd(pair)).collect();
    let serial_time = started.elapsed();

    // The book's `gcd`, counting the calls in progress.
    let (running, peak) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let counted_gcd = |pair| {
        peak.fetch_max(running.fetch_add(1, SeqCst) + 1, SeqCst);
        let divisor = gcd(pair);
        running.fetch_sub(1, SeqCst);
        divisor
    };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(THREADS).build();
    let pool = pool.expect("the system starts two threads");
    let started = Instant::now();
    let divisors: Vec<u64> = pool.install(|| {
        if !broken {
            // Each task returns its divisor; rayon puts them back in order.
            return NUMBERS.par_iter().map(|&pair| counted_gcd(pair)).collect();
        }
        let results = Mutex::new(Vec::new());
        NUMBERS.par_iter().enumerate().for_each(|(i, &pair)| {
            // The mistake: `lock()` is evaluated before its argument, so each
            // gcd runs while this thread holds the lock.
            results
                .lock()
                .expect("no gcd panics")
                .push((i, counted_gcd(pair)));
        });
        let mut results = results.into_inner().expect("no gcd panics");
        results.sort_unstable();
        results.into_iter().map(|(_, divisor)| divisor).collect()
    });
    let parallel_time = started.elapsed();

    let euclid: Vec<u64> = NUMBERS.iter().map(|&pair| gcd_euclid(pair)).collect();
    assert_eq!((&divisors, &serial), (&euclid, &euclid), "a gcd is wrong");
    let peak = peak.load(SeqCst);
    let speedup = serial_time.as_secs_f64() / parallel_time.as_secs_f64();
    let times = format!(
        "{parallel_time:.1?} on {THREADS} threads vs {serial_time:.1?} serial ({speedup:.1}x)"
    );
    let line = if peak == THREADS {
        format!("ok: 10 gcds equal Euclid's; {peak} computed at once; {times}")
    } else {
        format!("broken: 10 gcds right, but only {peak} computed at a time; {times}")
    };
    (peak, line)
}

fn main() {
    let (_, line) = run(std::env::args().any(|a| a == "--break"));
    println!("{line}");
}

#[cfg(test)]
mod tests {
    #[test]
    fn both_threads_compute_at_once() {
        let (peak, line) = super::run(false);
        assert_eq!((peak, line.starts_with("ok: ")), (2, true), "{line}");
    }

    #[test]
    fn work_under_a_lock_runs_one_gcd_at_a_time() {
        let (peak, line) = super::run(true);
        assert_eq!((peak, line.starts_with("broken: ")), (1, true), "{line}");
    }
}
