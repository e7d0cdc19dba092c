//! After, step 2: waiting until the work is done — the book's
//! `task_done` / `join`, as a [`WaitGroup`] that travels with each job.
//!
//! In Python, `Queue.join()` blocks until every item ever put has been
//! matched by a call to `task_done()`. The consumer must remember to call it,
//! exactly once per item, even when its work raises — forget it once and
//! `join()` waits forever.
//!
//! Rust turns the call into a value. Each job carries a clone of a
//! [`WaitGroup`]; when the job is dropped — because the work finished, or
//! because a panic unwound past it — the clone is dropped with it, and
//! [`WaitGroup::wait`] returns once every clone is gone. Nothing has to be
//! remembered, and a failing job still counts as handled.
//!
//! Note what `wait` does *not* mean: the workers are still running, blocked
//! on an empty channel, ready for more. Waiting for the work and stopping the
//! threads are two separate things, in the book and here; the threads stop
//! when the sender is dropped, and are then joined.
//!
//! One limit remains, in both languages: a job counts as handled only when
//! something drops it. If every worker died, the jobs still queued would keep
//! their clones and `wait` would never return — so a real program keeps the
//! panic from killing its workers, or uses the pipeline's error path
//! ([`crate::pipeline`]), which stops everything and reports the panic.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::thread;

use crossbeam::sync::WaitGroup;
use crossbeam_channel::unbounded;

/// One line of the book's `task_done` example, as [`wait_for_one`] logs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The consumer blocks on the empty channel.
    ConsumerWaiting,
    /// The producer sends the job.
    ProducerPutting,
    /// The producer blocks in `WaitGroup::wait`.
    ProducerWaiting,
    /// The consumer received the job.
    ConsumerWorking,
    /// The consumer finished, just before dropping the job (its `task_done`).
    ConsumerDone,
    /// `wait` returned.
    ProducerDone,
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::ConsumerWaiting => "Consumer waiting",
            Self::ProducerPutting => "Producer putting",
            Self::ProducerWaiting => "Producer waiting",
            Self::ConsumerWorking => "Consumer working",
            Self::ConsumerDone => "Consumer done",
            Self::ProducerDone => "Producer done",
        })
    }
}

/// A unit of work with its share of the wait group.
struct Job {
    id: usize,
    /// Held only to be dropped: dropping it is the book's `task_done()`, and
    /// it happens when the job is dropped, whether the work ended or panicked.
    _task_done: WaitGroup,
}

/// The book's example: one job, one consumer; the producer waits until the
/// consumer has finished it. Returns the steps in the order they were logged.
///
/// Whatever the scheduling, `ProducerDone` comes after `ConsumerDone`, and
/// `ConsumerWorking` after `ProducerPutting`.
pub fn wait_for_one() -> Vec<Step> {
    let log = Mutex::new(Vec::new());
    let record = |step| {
        log.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(step)
    };
    let (jobs_tx, jobs_rx) = unbounded::<Job>();

    thread::scope(|s| {
        s.spawn(|| {
            record(Step::ConsumerWaiting);
            if let Ok(job) = jobs_rx.recv() {
                record(Step::ConsumerWorking);
                std::hint::black_box(crate::work::process(job.id as u64));
                record(Step::ConsumerDone);
                // `job` is dropped here, and with it this job's share of
                // the wait group.
            }
        });

        let all_done = WaitGroup::new();
        record(Step::ProducerPutting);
        jobs_tx
            .send(Job {
                id: 0,
                _task_done: all_done.clone(),
            })
            .expect("the consumer holds the receiver until it has taken a job");
        record(Step::ProducerWaiting);
        all_done.wait();
        record(Step::ProducerDone);
    });
    log.into_inner().unwrap_or_else(PoisonError::into_inner)
}

/// What [`wait_for_all`] observed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitReport {
    /// Jobs whose work had completed when `wait` returned.
    pub finished_when_wait_returned: usize,
    /// Jobs that panicked (they too count as handled).
    pub panicked_jobs: usize,
    /// Worker threads still running when `wait` returned: waiting for work
    /// is not the same as stopping the workers.
    pub workers_alive_when_wait_returned: usize,
    /// Worker threads joined after the sender was dropped.
    pub workers_joined: usize,
}

/// Sends `jobs` jobs to `workers` worker threads, waits until every job is
/// done, then closes the channel and joins the workers.
///
/// The job whose id is `panic_on`, if any, panics in the middle of its work;
/// the wait still returns, because unwinding drops the job and its share of
/// the wait group. Keep `workers >= 2` when using `panic_on`, so that a
/// worker is left to drain the channel (see the module docs).
///
/// # Panics
///
/// If `workers` is 0.
pub fn wait_for_all(jobs: usize, workers: usize, panic_on: Option<usize>) -> WaitReport {
    assert!(workers > 0, "wait_for_all needs at least one worker");
    let (jobs_tx, jobs_rx) = unbounded::<Job>();
    let finished = AtomicUsize::new(0);
    let alive = AtomicUsize::new(0);

    thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let jobs_rx = jobs_rx.clone();
                let (finished, alive) = (&finished, &alive);
                // The increment happens before the spawn returns, so the
                // count is complete by the time the first job is sent.
                alive.fetch_add(1, Ordering::SeqCst);
                s.spawn(move || {
                    // Decrements `alive` however this thread ends.
                    let _guard = Decrement(alive);
                    for job in jobs_rx.iter() {
                        if Some(job.id) == panic_on {
                            panic!("job {} failed", job.id);
                        }
                        std::hint::black_box(crate::work::process(job.id as u64));
                        finished.fetch_add(1, Ordering::SeqCst);
                        // `job` is dropped at the end of this iteration:
                        // task_done, with no call to forget.
                    }
                })
            })
            .collect();
        // Only the workers hold receivers now.
        drop(jobs_rx);

        let all_done = WaitGroup::new();
        for id in 0..jobs {
            jobs_tx
                .send(Job {
                    id,
                    _task_done: all_done.clone(),
                })
                .expect("at least one worker is alive to receive");
        }
        all_done.wait();
        let finished_when_wait_returned = finished.load(Ordering::SeqCst);
        let workers_alive_when_wait_returned = alive.load(Ordering::SeqCst);

        // Now stop the workers: no sentinel, just close the channel.
        drop(jobs_tx);
        let mut workers_joined = 0;
        let mut panicked_jobs = 0;
        for handle in handles {
            match handle.join() {
                Ok(()) => workers_joined += 1,
                Err(_) => {
                    workers_joined += 1;
                    panicked_jobs += 1;
                }
            }
        }
        WaitReport {
            finished_when_wait_returned,
            panicked_jobs,
            workers_alive_when_wait_returned,
            workers_joined,
        }
    })
}

/// Decrements a counter when dropped.
struct Decrement<'a>(&'a AtomicUsize);

impl Drop for Decrement<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}
