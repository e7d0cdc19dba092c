//! The main thread polls `is_finished`, which never blocks, between pieces of
//! its own work, and joins only when every thread is done — so it is never
//! stuck in a `join` while there is work to do.

use std::panic;
use std::thread;

/// A thread per call; the calling thread works until every call has returned.
pub fn call_while_working<T: Send>(
    calls: usize,
    call: &(dyn Fn(usize) -> T + Sync),
    main_work: &mut dyn FnMut(usize),
) -> (Vec<T>, usize) {
    thread::scope(|s| {
        let handles: Vec<_> = (0..calls).map(|i| s.spawn(move || call(i))).collect();
        let mut iterations = 0;
        while handles.iter().any(|handle| !handle.is_finished()) {
            main_work(iterations);
            iterations += 1;
        }
        // Every thread has finished, so these joins return at once.
        let results = handles
            .into_iter()
            .map(|handle| handle.join().unwrap_or_else(|p| panic::resume_unwind(p)))
            .collect();
        (results, iterations)
    })
}
