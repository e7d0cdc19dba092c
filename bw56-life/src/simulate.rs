//! One generation, serially: the book's `step_cell` and `simulate`, and the
//! [`Strategy`] interface every later lesson implements.

use crate::grid::{Grid, State};
use crate::io::{CellIo, SimulationError};

/// The next state of cell `(y, x)`: count its neighbours, then apply the
/// rule, each with its I/O. Every strategy of items 56–60 computes a cell
/// through this function (or its parts); they differ only in where it runs.
///
/// `get` reads the *current* generation and wraps at the edges.
pub fn next_state(
    io: &CellIo,
    y: usize,
    x: usize,
    get: impl Fn(isize, isize) -> State,
) -> Result<State, SimulationError> {
    let state = get(y as isize, x as isize);
    let neighbors = io
        .count_neighbors(y, x, &get)
        .map_err(|e| SimulationError::io(y, x, e))?;
    io.game_logic(y, x, state, neighbors)
        .map_err(|e| SimulationError::io(y, x, e))
}

/// The book's `step_cell(y, x, get, set)`: computes cell `(y, x)` and hands
/// the new state to `set`. Taking `get` and `set` as closures is what lets the
/// threaded lessons swap in a locked grid without touching this function.
pub fn step_cell(
    io: &CellIo,
    y: usize,
    x: usize,
    get: impl Fn(isize, isize) -> State,
    set: impl FnOnce(usize, usize, State),
) -> Result<(), SimulationError> {
    let next = next_state(io, y, x, get)?;
    set(y, x, next);
    Ok(())
}

/// The book's `simulate(grid)`: one generation, one cell after another. With
/// per-cell I/O its time is `cells × calls per cell × latency` — the cost the
/// rest of the chapter sets out to overlap.
pub fn simulate(grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError> {
    let mut next = Grid::new(grid.height(), grid.width());
    for (y, x) in grid.positions() {
        step_cell(io, y, x, |y, x| grid.get(y, x), |y, x, s| next.set(y, x, s))?;
    }
    Ok(next)
}

/// A way of computing generations. Every lesson's strategy has this one
/// signature, so the same code runs, times and compares them all, and the
/// difference between two lessons is exactly the difference between two
/// `step` implementations.
///
/// `step` takes `&mut self` so a strategy can keep resources (worker threads,
/// a pool, a runtime) alive from one generation to the next; dropping the
/// strategy releases them.
pub trait Strategy {
    /// The strategy's name as the command line spells it (`serial`, `pool`...).
    fn name(&self) -> String;

    /// Computes the generation after `grid`, doing `io` for every cell.
    fn step(&mut self, grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError>;
}

/// The serial baseline: [`simulate`].
#[derive(Clone, Copy, Debug, Default)]
pub struct Serial;

impl Strategy for Serial {
    fn name(&self) -> String {
        "serial".to_owned()
    }

    fn step(&mut self, grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError> {
        simulate(grid, io)
    }
}

/// Runs `generations` steps from `grid` and returns the last grid, as the
/// book's loop ends holding generation `generations`.
pub fn run(
    strategy: &mut dyn Strategy,
    grid: &Grid,
    generations: usize,
    io: &CellIo,
) -> Result<Grid, SimulationError> {
    let mut current = grid.clone();
    for _ in 0..generations {
        current = strategy.step(&current, io)?;
    }
    Ok(current)
}
