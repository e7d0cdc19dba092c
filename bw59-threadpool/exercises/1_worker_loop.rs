//! 연습 59.1 — 풀의 작업자 루프 쓰기 / Exercise 59.1 — write the pool's worker loop
//!
//! A thread pool is a channel of jobs and a fixed number of threads that take
//! jobs from it, one at a time, until it is closed. Write the threads.
//!
//! Run the checks: `cargo test -p bw59-threadpool --features exercises --test exercises exercise_59_1`

use std::thread::JoinHandle;

use crossbeam_channel::Receiver;

/// A unit of work as a worker sees it: any closure, run once.
pub type Job = Box<dyn FnOnce() + Send + 'static>;

/// Starts exactly `size` worker threads and returns their handles at once,
/// without waiting for any job. Each worker takes jobs from `jobs` and runs
/// them, one at a time, until the channel is closed *and* empty; then it
/// returns. (`crossbeam_channel::Receiver` can be cloned: every clone takes
/// from the same queue, each job reaching exactly one of them.)
///
/// The checks send 40 jobs in two batches, with a pause between them, and
/// verify that:
/// - exactly `size` threads run the jobs, and the jobs run on them;
/// - `size` jobs run at once, never more;
/// - every job runs exactly once, including the ones sent after a pause;
/// - once the channel is closed, every worker returns (nothing left running).
pub fn start_workers(size: usize, jobs: Receiver<Job>) -> Vec<JoinHandle<()>> {
    todo!()
}
