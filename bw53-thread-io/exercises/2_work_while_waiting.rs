//! 연습 53.2 — 기다리는 동안 메인 스레드는 계속 일하기 / Exercise 53.2 — keep the main thread working while the calls wait
//!
//! In the book, the main thread computes a helicopter's location while five
//! threads wait in their system calls. A `join` would block the main thread
//! until that call returns; instead, it should keep working for as long as
//! any call is still waiting, and join the threads only then.
//!
//! Run the checks: `cargo test -p bw53-thread-io --features exercises --test exercises exercise_53_2`

/// Makes the blocking calls `call(0)`, ..., `call(calls - 1)`, each on a
/// thread of its own, all started at once (as in exercise 53.1); meanwhile,
/// on the calling thread, runs `main_work(0)`, `main_work(1)`, ... again and
/// again for as long as any call is still running; then joins the threads.
/// Returns the calls' results in index order, and how many times
/// `main_work` ran.
///
/// `JoinHandle::is_finished` tells whether a thread is done without waiting
/// for it.
///
/// Hint: the loop that runs `main_work` must not wait for anything; join a
/// handle only once it is finished.
///
/// The checks make five calls that each block in a real receive on a
/// loopback socket, and verify that:
/// - `main_work` ran while all five calls were blocked (it is what releases
///   them: it writes to their socket once it sees all five waiting — or,
///   for an answer that never runs it then, a timer does after 2 s);
/// - every result comes back, in index order, and no call is still running
///   when this returns;
/// - the returned count is how many times `main_work` really ran.
pub fn call_while_working<T: Send>(
    calls: usize,
    call: &(dyn Fn(usize) -> T + Sync),
    main_work: &mut dyn FnMut(usize),
) -> (Vec<T>, usize) {
    todo!("exercise 53.2")
}
