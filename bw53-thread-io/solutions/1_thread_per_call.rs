//! Spawn every thread before joining any, so all the calls are in the kernel
//! at once; scoped threads may borrow `call`, and the scope guarantees that
//! none outlives this function.

use std::panic;
use std::thread;

/// Makes each call on a thread of its own, all at once; results in order.
pub fn call_on_threads<T: Send>(calls: usize, call: &(dyn Fn(usize) -> T + Sync)) -> Vec<T> {
    thread::scope(|s| {
        // Collected first: a lazy `map(spawn).map(join)` would join each
        // thread before spawning the next.
        let handles: Vec<_> = (0..calls).map(|i| s.spawn(move || call(i))).collect();
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap_or_else(|p| panic::resume_unwind(p)))
            .collect()
    })
}
