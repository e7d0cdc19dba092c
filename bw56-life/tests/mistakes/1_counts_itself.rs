//! Mistake: counting the whole 3×3 block, the cell included. A live cell then
//! always has one "neighbour" too many: with two real neighbours it counts
//! three and lives on by luck, with three it counts four and dies.

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
            if get(cy + dy, cx + dx) == State::Alive {
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
