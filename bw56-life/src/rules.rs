//! The rules of the game, free of any I/O: the book's `count_neighbors` and
//! `game_logic`.

use crate::grid::State;

/// Counts the live cells among the eight neighbours of `(y, x)`.
///
/// `get` reads a cell and must wrap coordinates that fall off the grid (as
/// [`Grid::get`](crate::Grid::get) does); passing it in, as the book does,
/// keeps this function independent of how the grid is stored or locked.
pub fn count_neighbors(y: usize, x: usize, get: impl Fn(isize, isize) -> State) -> u8 {
    // Grids are far smaller than isize::MAX cells, so the casts are exact.
    let (y, x) = (y as isize, x as isize);
    let neighbors = [
        get(y - 1, x),     // north
        get(y - 1, x + 1), // north-east
        get(y, x + 1),     // east
        get(y + 1, x + 1), // south-east
        get(y + 1, x),     // south
        get(y + 1, x - 1), // south-west
        get(y, x - 1),     // west
        get(y - 1, x - 1), // north-west
    ];
    neighbors.iter().filter(|&&s| s == State::Alive).count() as u8
}

/// Conway's rule for one cell: a live cell with fewer than two or more than
/// three live neighbours dies; an empty cell with exactly three comes alive;
/// every other cell keeps its state.
pub fn game_logic(state: State, neighbors: u8) -> State {
    match (state, neighbors) {
        (State::Alive, 2 | 3) => State::Alive,
        (State::Alive, _) => State::Empty,
        (State::Empty, 3) => State::Alive,
        (State::Empty, _) => State::Empty,
    }
}
