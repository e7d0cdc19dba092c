//! The book's fan-out: one new thread per cell per generation, every thread
//! writing its result into a shared [`LockingGrid`].

use std::sync::Arc;

use bw56_life::{CellIo, Grid, SimulationError, Strategy, step_cell};
use course_support::InFlight;

use crate::cell_thread::{CellThreads, fan_in, start_failed};
use crate::locking_grid::LockingGrid;

/// The book's `simulate_threaded`: one generation with a new thread for every
/// cell. Each thread runs [`step_cell`] with `grid.get` as its reader and
/// `next_grid.set` as its writer, so every thread shares both grids, and the
/// new grid is behind a lock because they all write into it.
///
/// Every thread started is joined before this returns, also when a cell
/// fails or a thread cannot be started: no thread outlives the call. The
/// error returned is the first failure in row-major order, naming its cell.
///
/// `std::thread::spawn` wants a closure that is `'static` — the thread might
/// outlive this function, so it may not borrow anything from it. Hence the
/// `Arc`s: each thread owns a reference-counted handle to both grids and its
/// own copy of the I/O settings. A borrowed grid is refused (E0373, "closure
/// may outlive the current function, but it borrows `grid`"):
///
/// ```compile_fail,E0373
/// use bw56_life::Grid;
///
/// fn count_alive_in_a_thread(grid: &Grid) {
///     let handle = std::thread::spawn(|| grid.alive());
///     handle.join().unwrap();
/// }
/// ```
pub fn simulate_threaded(
    grid: &Arc<LockingGrid>,
    io: &CellIo,
    threads: &CellThreads,
) -> Result<LockingGrid, SimulationError> {
    let next_grid = Arc::new(LockingGrid::new(grid.height(), grid.width()));
    let cells = grid.height() * grid.width();
    let mut handles = Vec::with_capacity(cells);
    let mut start_error = None;

    // Fan out: a thread per cell, started on demand.
    'fan_out: for y in 0..grid.height() {
        for x in 0..grid.width() {
            // What the thread will own: clones of the two Arcs (a counter
            // increment each), the I/O settings and the gauge.
            let grid = Arc::clone(grid);
            let next = Arc::clone(&next_grid);
            let io = io.clone();
            let gauge = threads.gauge().cloned();
            let spawned = threads.builder(y, x).spawn(move || {
                let _alive = gauge.as_deref().map(InFlight::enter);
                step_cell(
                    &io,
                    y,
                    x,
                    |y, x| grid.get(y, x),
                    |y, x, state| next.set(y, x, state),
                )
            });
            match spawned {
                Ok(handle) => handles.push((y, x, handle)),
                Err(refused) => {
                    // The OS ran out of threads (or memory for their stacks).
                    // Stop fanning out, but do not return yet: the threads
                    // already started must be joined first.
                    start_error = Some(start_failed(y, x, handles.len(), refused));
                    break 'fan_out;
                }
            }
        }
    }

    // Fan in: wait for every thread started. A panic in a thread is not
    // seen by anyone unless its `join` result is looked at — std prints it
    // and the thread just ends — so fan_in turns it into an error here.
    let joined = fan_in(
        handles
            .into_iter()
            .map(|(y, x, handle)| (y, x, handle.join())),
    );
    // Joined cells all precede the one whose thread could not start, so
    // their errors come first in row-major order.
    joined?;
    if let Some(error) = start_error {
        return Err(error);
    }

    // Every thread has been joined and has dropped its clone of `next_grid`,
    // so this is the last reference and the grid can leave its Arc.
    let next_grid = Arc::try_unwrap(next_grid)
        .expect("every cell thread was joined, so no other reference to the new grid remains");
    Ok(next_grid)
}

/// [`simulate_threaded`] as a [`Strategy`] (name `thread-per-cell`): each
/// generation puts the grid behind a lock, fans out a thread per cell and
/// takes the new grid out of its lock.
#[derive(Clone, Debug, Default)]
pub struct ThreadPerCell {
    threads: CellThreads,
}

impl ThreadPerCell {
    /// A thread per cell, started as `threads` says (stack size, gauge).
    pub fn new(threads: CellThreads) -> Self {
        Self { threads }
    }
}

impl Strategy for ThreadPerCell {
    fn name(&self) -> String {
        "thread-per-cell".to_owned()
    }

    fn step(&mut self, grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError> {
        let grid = Arc::new(LockingGrid::from_grid(grid.clone()));
        simulate_threaded(&grid, io, &self.threads).map(LockingGrid::into_grid)
    }
}
