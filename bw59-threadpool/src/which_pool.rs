//! Which pool for which work: the same generation on rayon's pool (built for
//! CPU work; the strategy is item 64's [`RayonLife`](bw64_parallel::RayonLife))
//! and on tokio's blocking pool (built for waiting, [`TokioBlockingStrategy`]),
//! to compare with [`PoolStrategy`](crate::PoolStrategy).
//!
//! - **rayon** keeps one thread per core and splits work to keep them all
//!   busy computing. A job that blocks holds its core's thread while doing
//!   nothing: on this I/O-bound workload two threads wait for everyone, and a
//!   generation takes `cells / cores × latency`.
//! - **tokio's blocking pool** (`spawn_blocking`) starts threads on demand, up
//!   to 512 by default, because it expects its jobs to wait. It is fast here,
//!   but it runs as many cells at once as it has threads: 512 connections to
//!   whatever the I/O talks to, and 512 stacks, unless capped with
//!   `max_blocking_threads`.
//! - **a dedicated pool of N** runs exactly N at once: the bound is a
//!   decision, not a side effect of the core count or a default.
//!
//! For this workload — blocking I/O per cell, a peer that should see a bounded
//! number of requests — the dedicated pool is the right tool (or tokio's
//! blocking pool capped to N, in a program that is async already). For CPU
//! work the answer flips: rayon, whose per-item overhead is tiny and whose
//! thread count matches the cores.

use std::io;
use std::sync::Arc;

use bw56_life::{CellIo, Grid, SimulationError, Strategy, next_state};

/// One generation as a `spawn_blocking` call per cell on tokio's blocking
/// pool.
#[derive(Debug)]
pub struct TokioBlockingStrategy {
    runtime: tokio::runtime::Runtime,
    max_threads: usize,
}

impl TokioBlockingStrategy {
    /// A runtime whose blocking pool grows to at most `max_threads` threads
    /// (tokio's default is 512).
    pub fn new(max_threads: usize) -> io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .max_blocking_threads(max_threads)
            .enable_all()
            .build()?;
        Ok(Self {
            runtime,
            max_threads,
        })
    }
}

impl Strategy for TokioBlockingStrategy {
    fn name(&self) -> String {
        format!("tokio-blocking({})", self.max_threads)
    }

    fn step(&mut self, grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError> {
        let grid = Arc::new(grid.clone());
        self.runtime.block_on(async {
            let handles: Vec<_> = grid
                .positions()
                .map(|(y, x)| {
                    let (grid, io) = (Arc::clone(&grid), io.clone());
                    let handle = tokio::task::spawn_blocking(move || {
                        next_state(&io, y, x, |y, x| grid.get(y, x))
                    });
                    (y, x, handle)
                })
                .collect();
            let mut states = Vec::with_capacity(handles.len());
            for (y, x, handle) in handles {
                let state = match handle.await {
                    Ok(result) => result?,
                    Err(join_error) => match join_error.try_into_panic() {
                        Ok(payload) => return Err(SimulationError::panicked(y, x, payload)),
                        Err(_) => unreachable!("blocking tasks are never cancelled here"),
                    },
                };
                states.push(state);
            }
            Ok(Grid::from_states(grid.height(), grid.width(), states))
        })
    }
}
