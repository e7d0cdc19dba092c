//! The Game of Life on the pool: the book's `simulate_pool`.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bw56_life::{CellIo, Grid, SimulationError, Strategy, next_state};

use crate::pool::Pool;

/// One generation on `pool`: submit every cell (fan-out), then wait for every
/// result in order (fan-in). The first failing cell, in row-major order, is
/// returned as the error.
///
/// Compared with the serial `simulate`, three things change:
/// - the old grid goes into an [`Arc`] once per generation, because a job on
///   a pool thread must own what it reads (`'static`), and every job shares it;
/// - each job *returns* its cell's new state, so the new grid is assembled
///   here from the results and needs no lock;
/// - after the first failure the remaining jobs of this generation are told
///   to skip their I/O, and all of them are still awaited, so when this
///   function returns no job of the generation is running and the pool is
///   ready for the next one.
pub fn simulate_pool(pool: &Pool, grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError> {
    let grid = Arc::new(grid.clone());
    let cancelled = Arc::new(AtomicBool::new(false));

    // Fan out: one job per cell, queued at once; the pool runs `size` of
    // them at a time.
    let handles: Vec<_> = grid
        .positions()
        .map(|(y, x)| {
            let (grid, io, cancelled) = (Arc::clone(&grid), io.clone(), Arc::clone(&cancelled));
            let handle = pool.submit(move || {
                if cancelled.load(Ordering::Relaxed) {
                    return None;
                }
                let result = next_state(&io, y, x, |y, x| grid.get(y, x));
                if result.is_err() {
                    cancelled.store(true, Ordering::Relaxed);
                }
                Some(result)
            });
            (y, x, handle)
        })
        .collect();

    // Fan in: wait for every job, keep the first error.
    let mut states = Vec::with_capacity(handles.len());
    let mut first_error = None;
    for (y, x, handle) in handles {
        let error = match handle.result() {
            Ok(Some(Ok(state))) => {
                states.push(state);
                continue;
            }
            Ok(Some(Err(error))) => error,
            // Skipped because another cell failed; that cell's error is
            // the one reported.
            Ok(None) => continue,
            Err(payload) => {
                cancelled.store(true, Ordering::Relaxed);
                SimulationError::panicked(y, x, payload)
            }
        };
        first_error.get_or_insert(error);
    }
    match first_error {
        Some(error) => Err(error),
        None => Ok(Grid::from_states(grid.height(), grid.width(), states)),
    }
}

/// The pool as a [`Strategy`]: created once, reused for every generation.
#[derive(Debug)]
pub struct PoolStrategy {
    pool: Pool,
}

impl PoolStrategy {
    /// A strategy with a pool of `workers` threads.
    pub fn new(workers: usize) -> io::Result<Self> {
        Ok(Self {
            pool: Pool::new(workers)?,
        })
    }

    /// The pool, for submitting other work to it.
    pub fn pool(&self) -> &Pool {
        &self.pool
    }
}

impl Strategy for PoolStrategy {
    fn name(&self) -> String {
        format!("pool({})", self.pool.size())
    }

    fn step(&mut self, grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError> {
        simulate_pool(&self.pool, grid, io)
    }
}
