//! Mistake: a failed I/O quietly makes the cell empty. The generation goes
//! on as if nothing had happened; the book's `SimulationError` is never
//! raised, and a wrong grid is all that is left of the failure.

use bw56_life::{CellIo, SimulationError, State};

pub fn step_cell(
    io: &CellIo,
    y: usize,
    x: usize,
    get: impl Fn(isize, isize) -> State,
    set: impl FnOnce(usize, usize, State),
) -> Result<(), SimulationError> {
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
        .unwrap_or(State::Empty);
    set(y, x, next);
    Ok(())
}
