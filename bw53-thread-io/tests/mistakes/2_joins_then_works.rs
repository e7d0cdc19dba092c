//! Mistake: the main thread joins every thread first and does its own work
//! afterwards. The calls overlap, but the main thread sat blocked in `join`
//! the whole time they waited: the helicopter was computed too late.

use std::panic;
use std::thread;

pub fn call_while_working<T: Send>(
    calls: usize,
    call: &(dyn Fn(usize) -> T + Sync),
    main_work: &mut dyn FnMut(usize),
) -> (Vec<T>, usize) {
    thread::scope(|s| {
        let handles: Vec<_> = (0..calls).map(|i| s.spawn(move || call(i))).collect();
        let results = handles
            .into_iter()
            .map(|handle| handle.join().unwrap_or_else(|p| panic::resume_unwind(p)))
            .collect();
        main_work(0);
        (results, 1)
    })
}
