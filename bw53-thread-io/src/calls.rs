//! Running several blocking calls: one after another, or each on its own
//! thread while the main thread keeps working.
//!
//! Both runners take the call as a closure `Fn(index) -> T`, so the demo and
//! the benchmark pass the real [`slow_systemcall`](crate::slow_systemcall)
//! while the tests pass the same call wrapped in instrumentation (a
//! concurrency gauge, a barrier). The runner is the lesson; what it runs is
//! the caller's choice.

use std::io;
use std::panic;
use std::thread;

/// What [`run_threaded`] returns: every call's result, and how much the main
/// thread did while it waited.
#[derive(Debug)]
pub struct Overlapped<T> {
    /// The result of each call, in call order.
    pub results: Vec<T>,
    /// How many times the main thread's work ran before every call returned.
    pub main_iterations: usize,
}

/// The book's serial loop: `calls` calls, each waiting for the previous one.
/// Returns their results in order.
///
/// With blocking calls the total time is the sum of the waits; the thread
/// does nothing else while each one lasts.
pub fn run_serial<T>(calls: usize, call: impl Fn(usize) -> T) -> Vec<T> {
    (0..calls).map(call).collect()
}

/// The book's threaded version: a thread per call, all started at once; the
/// main thread runs `main_work(0)`, `main_work(1)`, ... until every call has
/// returned, then collects the results.
///
/// With blocking calls the waits overlap, so the total is about one call's
/// time, and the main thread was never blocked: `main_iterations` counts the
/// work it got done meanwhile.
///
/// The threads are *scoped* ([`thread::scope`]): they may borrow from the
/// caller (the demo's timeout, a test's gauge and barrier), and the scope
/// cannot end until every one of them has been joined, so none outlives this
/// function, not even on an error or a panic.
///
/// # Errors
///
/// If the operating system refuses to start a thread, the error names the
/// call; the calls already started still finish (the scope waits for them)
/// before it is returned.
///
/// # Panics
///
/// A panic inside a call is passed on to the caller, after every other call
/// has ended.
pub fn run_threaded<T: Send>(
    calls: usize,
    call: impl Fn(usize) -> T + Sync,
    mut main_work: impl FnMut(usize),
) -> io::Result<Overlapped<T>> {
    // Every thread gets a shared reference to the one closure: `Sync` is what
    // makes sharing it between threads allowed.
    let call = &call;
    thread::scope(|scope| {
        // Start every thread before waiting for any: that is the whole point.
        let mut handles = Vec::with_capacity(calls);
        for index in 0..calls {
            // `Builder` rather than `thread::spawn`, so that failing to start
            // a thread is an error we can report instead of a panic; the name
            // shows up in panic messages, debuggers, and as the lane of the
            // call's span in a timeline or a trace.
            let handle = thread::Builder::new()
                .name(format!("thread {index}"))
                .spawn_scoped(scope, move || call(index))
                .map_err(|e| {
                    io::Error::new(
                        e.kind(),
                        format!("cannot start a thread for call {index}: {e}"),
                    )
                })?;
            handles.push(handle);
        }

        // The book's `for i in range(5): compute_helicopter_location(i)`,
        // stretched to last exactly as long as the calls: `is_finished` asks
        // whether a thread is done without waiting for it, so the main thread
        // never blocks here.
        let mut main_iterations = 0;
        while handles.iter().any(|handle| !handle.is_finished()) {
            main_work(main_iterations);
            main_iterations += 1;
        }

        // Every thread has finished, so these joins return at once. `join` is
        // Err only if the call panicked; re-raise that panic unchanged.
        let results = handles
            .into_iter()
            .map(|handle| handle.join().unwrap_or_else(|p| panic::resume_unwind(p)))
            .collect();
        Ok(Overlapped {
            results,
            main_iterations,
        })
    })
}
