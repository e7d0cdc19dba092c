//! One interface for threads and for processes, as `concurrent.futures` has.
//!
//! The book ends item 64 on this: `ThreadPoolExecutor` and
//! `ProcessPoolExecutor` share one interface, so once a program runs on a
//! thread pool, moving it to processes changes one line — the line that
//! creates the executor. [`Executor`] is that interface here, and the demo
//! makes the switch:
//!
//! ```no_run
//! use bw64_parallel::{Executor, NUMBERS, ProcessPoolExecutor, ThreadPoolExecutor};
//!
//! fn divisors(executor: &mut impl Executor) -> Vec<u64> {
//!     executor.map(&NUMBERS).expect("every worker answers")
//! }
//!
//! let mut executor = ThreadPoolExecutor::new(2);
//! let with_threads = divisors(&mut executor);
//! // The one line that changes (workers are copies of this program):
//! let program = std::env::current_exe().expect("this program's path");
//! let mut executor = ProcessPoolExecutor::new(2, &program, &["--gcd-worker"]).expect("workers start");
//! assert_eq!(divisors(&mut executor), with_threads);
//! ```
//!
//! Both map the same function, [`gcd`](crate::gcd()). A process cannot be
//! handed a closure: Python's executor sends the function by name (pickled as
//! a reference) and the child imports it; here the worker program knows its
//! one function, and only the pairs and answers travel.

use std::path::Path;

use crate::process_pool::{PoolError, ProcessPool};
use crate::threads::std_threads;

/// What both executors do: compute `gcd` of every pair, and return the
/// results in the pairs' order.
pub trait Executor {
    /// `executor.map(gcd, pairs)` in the book.
    fn map(&mut self, pairs: &[(u64, u64)]) -> Result<Vec<u64>, PoolError>;
}

/// `max_workers` threads of this process, started for each `map` and joined
/// before it returns — the book's `ThreadPoolExecutor`.
#[derive(Debug)]
pub struct ThreadPoolExecutor {
    max_workers: usize,
}

impl ThreadPoolExecutor {
    /// An executor that maps on `max_workers` threads.
    ///
    /// # Panics
    ///
    /// If `max_workers` is zero.
    pub fn new(max_workers: usize) -> Self {
        assert!(max_workers > 0, "an executor needs at least one worker");
        Self { max_workers }
    }
}

impl Executor for ThreadPoolExecutor {
    fn map(&mut self, pairs: &[(u64, u64)]) -> Result<Vec<u64>, PoolError> {
        Ok(std_threads(pairs, self.max_workers))
    }
}

/// `max_workers` worker processes, started once and fed over pipes — the
/// book's `ProcessPoolExecutor`. Dropping it kills and reaps the workers;
/// [`shutdown`](Self::shutdown) lets them exit and reports how they did.
#[derive(Debug)]
pub struct ProcessPoolExecutor {
    pool: ProcessPool,
}

impl ProcessPoolExecutor {
    /// Starts `max_workers` copies of `program` with `args`; the program must
    /// serve the worker protocol ([`serve_worker`](crate::serve_worker)).
    pub fn new(max_workers: usize, program: &Path, args: &[&str]) -> Result<Self, PoolError> {
        Ok(Self {
            pool: ProcessPool::start(program, args, max_workers)?,
        })
    }

    /// The worker processes' ids.
    pub fn pids(&self) -> Vec<u32> {
        self.pool.pids()
    }

    /// Closes the workers' input and waits for each to exit successfully.
    pub fn shutdown(self) -> Result<(), PoolError> {
        self.pool.shutdown()
    }
}

impl Executor for ProcessPoolExecutor {
    fn map(&mut self, pairs: &[(u64, u64)]) -> Result<Vec<u64>, PoolError> {
        self.pool.map(pairs)
    }
}
