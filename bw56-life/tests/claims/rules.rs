//! The rules of the game: the full rule table and neighbour counting with
//! wrap-around at every edge and corner.

use bw56_life::{Grid, State, count_neighbors, game_logic};

#[test]
fn rule_table_matches_conway() {
    for neighbors in 0..=8u8 {
        let survives = matches!(neighbors, 2 | 3);
        let born = neighbors == 3;
        assert_eq!(
            game_logic(State::Alive, neighbors),
            if survives { State::Alive } else { State::Empty },
            "alive with {neighbors} neighbours"
        );
        assert_eq!(
            game_logic(State::Empty, neighbors),
            if born { State::Alive } else { State::Empty },
            "empty with {neighbors} neighbours"
        );
    }
}

/// A 4×5 grid with one live cell at `(y, x)`.
fn single(y: usize, x: usize) -> Grid {
    let mut grid = Grid::new(4, 5);
    grid.set(y, x, State::Alive);
    grid
}

/// Which cells count the single live cell as a neighbour: exactly the eight
/// around it, wrapping over the edges.
fn cells_seeing(grid: &Grid) -> Vec<(usize, usize)> {
    grid.positions()
        .filter(|&(y, x)| count_neighbors(y, x, |y, x| grid.get(y, x)) == 1)
        .collect()
}

/// A live cell and the eight cells that must count it.
type Case = ((usize, usize), [(usize, usize); 8]);

/// For each live cell, exactly the listed eight cells count it.
fn assert_each_seen_by(cases: [Case; 4]) {
    for ((y, x), expected) in cases {
        let mut expected = expected.to_vec();
        expected.sort_unstable();
        assert_eq!(
            cells_seeing(&single(y, x)),
            expected,
            "live cell at ({y}, {x})"
        );
    }
}

#[test]
fn neighbours_wrap_at_every_corner() {
    // Live cell in each corner; the cells seeing it must include the ones on
    // the opposite edges and the diagonally opposite corner.
    let cases = [
        (
            (0, 0),
            [
                (3, 4),
                (3, 0),
                (3, 1),
                (0, 4),
                (0, 1),
                (1, 4),
                (1, 0),
                (1, 1),
            ],
        ),
        (
            (0, 4),
            [
                (3, 3),
                (3, 4),
                (3, 0),
                (0, 3),
                (0, 0),
                (1, 3),
                (1, 4),
                (1, 0),
            ],
        ),
        (
            (3, 0),
            [
                (2, 4),
                (2, 0),
                (2, 1),
                (3, 4),
                (3, 1),
                (0, 4),
                (0, 0),
                (0, 1),
            ],
        ),
        (
            (3, 4),
            [
                (2, 3),
                (2, 4),
                (2, 0),
                (3, 3),
                (3, 0),
                (0, 3),
                (0, 4),
                (0, 0),
            ],
        ),
    ];
    assert_each_seen_by(cases);
}

#[test]
fn neighbours_wrap_at_every_edge() {
    // Middle of the top, bottom, left and right edges.
    let cases = [
        (
            (0, 2),
            [
                (3, 1),
                (3, 2),
                (3, 3),
                (0, 1),
                (0, 3),
                (1, 1),
                (1, 2),
                (1, 3),
            ],
        ),
        (
            (3, 2),
            [
                (2, 1),
                (2, 2),
                (2, 3),
                (3, 1),
                (3, 3),
                (0, 1),
                (0, 2),
                (0, 3),
            ],
        ),
        (
            (1, 0),
            [
                (0, 4),
                (0, 0),
                (0, 1),
                (1, 4),
                (1, 1),
                (2, 4),
                (2, 0),
                (2, 1),
            ],
        ),
        (
            (2, 4),
            [
                (1, 3),
                (1, 4),
                (1, 0),
                (2, 3),
                (2, 0),
                (3, 3),
                (3, 4),
                (3, 0),
            ],
        ),
    ];
    assert_each_seen_by(cases);
}

#[test]
fn a_cell_does_not_count_itself() {
    let grid = single(1, 1);
    assert_eq!(count_neighbors(1, 1, |y, x| grid.get(y, x)), 0);
}

#[test]
fn full_grid_counts_eight() {
    let grid = Grid::from_states(3, 3, vec![State::Alive; 9]);
    for (y, x) in grid.positions() {
        assert_eq!(count_neighbors(y, x, |y, x| grid.get(y, x)), 8);
    }
}

#[test]
fn get_wraps_like_python_modulo() {
    let grid = single(3, 4);
    assert_eq!(grid.get(-1, -1), State::Alive);
    assert_eq!(grid.get(7, 9), State::Alive);
    assert_eq!(grid.get(-5, -6), State::Alive);
    assert_eq!(grid.get(0, 0), State::Empty);
}
