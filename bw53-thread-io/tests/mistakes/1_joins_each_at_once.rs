//! Mistake: each thread is joined right after it is spawned. The calls do run
//! on threads, but the main thread waits for each one before starting the
//! next, so the waits line up one after another, as with no thread at all.

use std::panic;
use std::thread;

pub fn call_on_threads<T: Send>(calls: usize, call: &(dyn Fn(usize) -> T + Sync)) -> Vec<T> {
    thread::scope(|s| {
        let mut results = Vec::with_capacity(calls);
        for i in 0..calls {
            let handle = s.spawn(move || call(i));
            results.push(handle.join().unwrap_or_else(|p| panic::resume_unwind(p)));
        }
        results
    })
}
