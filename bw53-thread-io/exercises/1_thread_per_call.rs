//! 연습 53.1 — 블로킹 호출마다 스레드 하나 / Exercise 53.1 — a thread per blocking call
//!
//! The book's `slow_systemcall` blocks its thread in the kernel until a
//! timeout. Made five times in a row, the waits add up; made from five
//! threads, they overlap, because a thread blocked in a system call needs no
//! core. Write the threaded version.
//!
//! Run the checks: `cargo test -p bw53-thread-io --features exercises --test exercises exercise_53_1`

/// Makes the blocking calls `call(0)`, `call(1)`, ..., `call(calls - 1)`,
/// each on a thread of its own, all started before any is waited for, and
/// returns their results in index order.
///
/// Every thread shares `call` (it is `Sync`), so scoped threads
/// (`std::thread::scope`) can borrow it. `spawn` returns a handle whose
/// `join` gives the call's result — or its panic, which the caller should
/// pass on (`std::panic::resume_unwind`).
///
/// Hint: keep every handle in a `Vec` and join them only once all are
/// started; joining a thread right after spawning it waits out its call
/// before the next call has begun.
///
/// The checks make five calls that each block in a real receive on a
/// loopback socket, and verify that:
/// - all five are blocked at the same time (the socket gets its byte once
///   they are — or after 2 s, so that an answer that never gets there ends);
/// - every result comes back, in index order;
/// - no call is still running when this returns.
pub fn call_on_threads<T: Send>(calls: usize, call: &(dyn Fn(usize) -> T + Sync)) -> Vec<T> {
    todo!("exercise 53.1")
}
