//! The book's `LockingGrid`: a grid behind a lock, so that many threads may
//! read and write it at the same time.

use std::sync::{Mutex, MutexGuard};

use bw56_life::{Grid, State};

/// A [`Grid`] behind a [`Mutex`], as the book's `LockingGrid` subclass wraps
/// `get` and `set` in `with self.lock`.
///
/// The book needs it because its cell threads all call `next_grid.set(...)`
/// on one shared grid. Rust insists on it: a `&Grid` may be shared by many
/// threads (it is `Sync`), but [`Grid::set`] takes `&mut self`, and the
/// compiler allows only one `&mut` at a time — across threads that means a
/// lock. [`LockingGrid::set`] therefore takes `&self`.
///
/// ```
/// use std::sync::Arc;
/// use bw56_life::State;
/// use bw57_fanout::LockingGrid;
///
/// let grid = Arc::new(LockingGrid::new(2, 2));
/// let writers: Vec<_> = (0..2)
///     .map(|x| {
///         let grid = Arc::clone(&grid);
///         std::thread::spawn(move || grid.set(0, x, State::Alive))
///     })
///     .collect();
/// for writer in writers {
///     writer.join().expect("the writer does not panic");
/// }
/// assert_eq!(grid.get(0, -1), State::Alive); // wraps like Grid::get
/// ```
///
/// Without the lock the same program does not compile — two threads cannot
/// both hold `&mut Grid` (error E0499, "cannot borrow as mutable more than
/// once"):
///
/// ```compile_fail,E0499
/// use bw56_life::{Grid, State};
///
/// let mut grid = Grid::new(2, 2);
/// std::thread::scope(|s| {
///     s.spawn(|| grid.set(0, 0, State::Alive));
///     s.spawn(|| grid.set(0, 1, State::Alive));
/// });
/// ```
#[derive(Debug)]
pub struct LockingGrid {
    /// Fixed at construction, so reading them needs no lock.
    height: usize,
    width: usize,
    /// The cells. Every `get` and `set` holds the lock for one cell only, so
    /// threads wait for each other briefly but often: one lock round-trip
    /// per neighbour read (eight per cell) and one per write.
    cells: Mutex<Grid>,
}

impl LockingGrid {
    /// An empty `height × width` grid.
    ///
    /// # Panics
    ///
    /// If either side is zero, as [`Grid::new`].
    pub fn new(height: usize, width: usize) -> Self {
        Self::from_grid(Grid::new(height, width))
    }

    /// Puts `grid` behind a lock.
    pub fn from_grid(grid: Grid) -> Self {
        Self {
            height: grid.height(),
            width: grid.width(),
            cells: Mutex::new(grid),
        }
    }

    /// Number of rows.
    pub fn height(&self) -> usize {
        self.height
    }

    /// Number of columns.
    pub fn width(&self) -> usize {
        self.width
    }

    /// The state at `(y, x)`, wrapping at the edges as [`Grid::get`].
    pub fn get(&self, y: isize, x: isize) -> State {
        self.lock().get(y, x)
    }

    /// Sets the state at `(y, x)`; `&self` suffices because the lock makes
    /// the write exclusive.
    ///
    /// # Panics
    ///
    /// If `(y, x)` is outside the grid, as [`Grid::set`].
    pub fn set(&self, y: usize, x: usize, state: State) {
        self.lock().set(y, x, state);
    }

    /// A copy of the cells as they are now.
    pub fn snapshot(&self) -> Grid {
        self.lock().clone()
    }

    /// The grid, out of its lock. Taking `self` by value proves no thread can
    /// still be writing to it.
    pub fn into_grid(self) -> Grid {
        self.cells
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn lock(&self) -> MutexGuard<'_, Grid> {
        // A thread that panics while holding this lock "poisons" it. The only
        // code that runs under the lock is Grid::get and Grid::set, which
        // check their coordinates before touching any cell, so a panic there
        // never leaves the grid half-written: the poison can be ignored.
        self.cells
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl From<Grid> for LockingGrid {
    fn from(grid: Grid) -> Self {
        Self::from_grid(grid)
    }
}
