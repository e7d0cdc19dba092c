//! Read only through `get`, write only through `set`, and only once the I/O
//! has succeeded: the cell then depends on nothing but the two functions it is
//! given, and a failure leaves no trace but the error that names it.

use bw56_life::{CellIo, SimulationError, State};

/// Cell `(y, x)` of the next generation, read through `get`, written through
/// `set`.
pub fn step_cell(
    io: &CellIo,
    y: usize,
    x: usize,
    get: impl Fn(isize, isize) -> State,
    set: impl FnOnce(usize, usize, State),
) -> Result<(), SimulationError> {
    // Signed from here on: the neighbours of row 0 include row -1, which
    // `get` wraps to the last row.
    let (cy, cx) = (y as isize, x as isize);
    let state = get(cy, cx);
    let mut neighbors = 0;
    for dy in -1..=1 {
        for dx in -1..=1 {
            if (dy, dx) != (0, 0) && get(cy + dy, cx + dx) == State::Alive {
                neighbors += 1;
            }
        }
    }
    let next = io
        .game_logic(y, x, state, neighbors)
        .map_err(|error| SimulationError::io(y, x, error))?;
    set(y, x, next);
    Ok(())
}
