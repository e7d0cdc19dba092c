//! Mistake: a worker that stops as soon as the queue is empty. `try_recv`
//! cannot tell "no job yet" from "no job ever", so jobs sent after a pause
//! are never run.

use std::thread::{self, JoinHandle};

use crossbeam_channel::Receiver;

use crate::worker_loop::Job;

pub fn start_workers(size: usize, jobs: Receiver<Job>) -> Vec<JoinHandle<()>> {
    (0..size)
        .map(|_| {
            let jobs = jobs.clone();
            thread::spawn(move || {
                while let Ok(job) = jobs.try_recv() {
                    job();
                }
            })
        })
        .collect()
}
