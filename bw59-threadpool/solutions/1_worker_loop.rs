//! Each worker owns a clone of the receiver and loops on the blocking `recv`,
//! because only `recv`'s error — every sender gone, queue empty — means "no
//! more work"; an empty queue alone only means "not yet".

use std::thread::{self, JoinHandle};

use crossbeam_channel::Receiver;

/// A unit of work as a worker sees it: any closure, run once.
pub type Job = Box<dyn FnOnce() + Send + 'static>;

/// Starts `size` workers that run jobs from `jobs` until it is closed and
/// empty.
pub fn start_workers(size: usize, jobs: Receiver<Job>) -> Vec<JoinHandle<()>> {
    (0..size)
        .map(|_| {
            let jobs = jobs.clone();
            thread::spawn(move || {
                while let Ok(job) = jobs.recv() {
                    job();
                }
            })
        })
        .collect()
}
