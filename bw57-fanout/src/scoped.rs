//! What Rust changes: scoped threads borrow the old grid and hand their cell
//! back through `join`, so neither grid needs a lock or an `Arc`.

use std::thread;

use bw56_life::{CellIo, Grid, SimulationError, Strategy, next_state};
use course_support::InFlight;

use crate::cell_thread::{CellThreads, fan_in, start_failed};

/// One generation with a new thread for every cell, started inside
/// [`std::thread::scope`].
///
/// Two things differ from [`simulate_threaded`](crate::simulate_threaded),
/// and both come from the scope's promise that **every thread spawned in it
/// is joined before `scope` returns**:
///
/// - The threads *borrow* `grid` and `io` (`&Grid`, `&CellIo`): the compiler
///   knows no thread can outlive the scope, so a plain reference is enough —
///   no `Arc`, no clone of the settings. The old grid is only read, and
///   shared reads need no lock.
/// - Each thread *returns* its cell's next state, and the new grid is built
///   from the join results in row-major order. No thread writes into a shared
///   grid, so there is nothing to lock: each result has exactly one owner at a
///   time, moving from the thread to us through its [`ScopedJoinHandle`].
///
/// The cost per thread is the same as the book's — a thread is still created
/// and destroyed per cell, which is the point of item 57. What the scope
/// removes is the lock, the reference counting and the chance of forgetting a
/// `join`.
///
/// [`ScopedJoinHandle`]: std::thread::ScopedJoinHandle
pub fn simulate_scoped(
    grid: &Grid,
    io: &CellIo,
    threads: &CellThreads,
) -> Result<Grid, SimulationError> {
    let gauge = threads.gauge().map(|g| &**g);
    thread::scope(|scope| {
        let mut handles = Vec::with_capacity(grid.len());
        let mut start_error = None;

        // Fan out. The closure captures `grid`, `io` and `gauge` — all
        // references — by copy; nothing is cloned per thread.
        for (y, x) in grid.positions() {
            let spawned = threads.builder(y, x).spawn_scoped(scope, move || {
                let _alive = gauge.map(InFlight::enter);
                next_state(io, y, x, |y, x| grid.get(y, x))
            });
            match spawned {
                Ok(handle) => handles.push((y, x, handle)),
                Err(refused) => {
                    start_error = Some(start_failed(y, x, handles.len(), refused));
                    break;
                }
            }
        }

        // Fan in. The scope would join any thread we forgot, but it would
        // then re-raise that thread's panic in *this* thread: joining each
        // handle ourselves is what turns a panic into a SimulationError.
        let states = fan_in(
            handles
                .into_iter()
                .map(|(y, x, handle)| (y, x, handle.join())),
        )?;
        if let Some(error) = start_error {
            return Err(error);
        }
        // `states` is in row-major order because the handles were.
        Ok(Grid::from_states(grid.height(), grid.width(), states))
    })
}

/// [`simulate_scoped`] as a [`Strategy`] (name `scoped`).
#[derive(Clone, Debug, Default)]
pub struct Scoped {
    threads: CellThreads,
}

impl Scoped {
    /// A scoped thread per cell, started as `threads` says.
    pub fn new(threads: CellThreads) -> Self {
        Self { threads }
    }
}

impl Strategy for Scoped {
    fn name(&self) -> String {
        "scoped".to_owned()
    }

    fn step(&mut self, grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError> {
        simulate_scoped(grid, io, &self.threads)
    }
}
