//! The book tests `step_cell` on its own, with a fake `get` that records
//! which positions it was asked for and a fake `set` that checks what it is
//! given. Passing the grid's accessors as functions is what makes that
//! possible: no `Grid` is involved at all.

use std::cell::RefCell;
use std::collections::BTreeSet;

use bw56_life::{CellIo, State, step_cell};

/// What the fakes saw: the positions read through `get`, and every call of
/// `set` as (y, x, state).
type Seen = (BTreeSet<(isize, isize)>, Vec<(usize, usize, State)>);

/// Runs `step_cell` for the cell at (10, 5) of an imaginary grid in which
/// only `alive` cells live; returns the positions read and every write.
fn step_with_fakes(alive: &[(isize, isize)]) -> Seen {
    let seen = RefCell::new(BTreeSet::new());
    let fake_get = |y: isize, x: isize| {
        seen.borrow_mut().insert((y, x));
        if alive.contains(&(y, x)) {
            State::Alive
        } else {
            State::Empty
        }
    };
    let written = RefCell::new(Vec::new());
    let fake_set = |y: usize, x: usize, state: State| {
        written.borrow_mut().push((y, x, state));
    };
    step_cell(&CellIo::none(), 10, 5, fake_get, fake_set).expect("no I/O, so nothing can fail");
    (seen.into_inner(), written.into_inner())
}

/// The cell itself and its eight neighbours, as `get` coordinates.
fn cell_and_neighbours() -> BTreeSet<(isize, isize)> {
    (9..=11)
        .flat_map(|y| (4..=6).map(move |x| (y, x)))
        .collect()
}

#[test]
fn step_cell_reads_its_neighbourhood_and_writes_only_itself() {
    // Empty, with three live neighbours: it comes alive.
    let (seen, written) = step_with_fakes(&[(9, 5), (9, 6), (10, 6)]);
    assert_eq!(seen, cell_and_neighbours(), "positions read through get");
    assert_eq!(written, vec![(10, 5, State::Alive)]);
}

#[test]
fn step_cell_applies_the_rules_through_the_fakes() {
    // Alive with one neighbour: it dies of loneliness.
    let (_, written) = step_with_fakes(&[(10, 5), (11, 4)]);
    assert_eq!(written, vec![(10, 5, State::Empty)]);
    // Alive with two neighbours: it lives on.
    let (_, written) = step_with_fakes(&[(10, 5), (11, 4), (9, 6)]);
    assert_eq!(written, vec![(10, 5, State::Alive)]);
    // Empty with two neighbours: it stays empty.
    let (_, written) = step_with_fakes(&[(9, 4), (11, 6)]);
    assert_eq!(written, vec![(10, 5, State::Empty)]);
}
