//! Mistake: the workers hand every job to a new thread of its own. The jobs
//! still all run, but nothing bounds how many run at once — the very thing a
//! pool is for.

use std::thread::{self, JoinHandle};

use crossbeam_channel::Receiver;

use crate::worker_loop::Job;

pub fn start_workers(size: usize, jobs: Receiver<Job>) -> Vec<JoinHandle<()>> {
    (0..size)
        .map(|_| {
            let jobs = jobs.clone();
            thread::spawn(move || {
                let mut started = Vec::new();
                while let Ok(job) = jobs.recv() {
                    started.push(thread::spawn(job));
                }
                for thread in started {
                    let _ = thread.join();
                }
            })
        })
        .collect()
}
