//! The checks of this lesson's exercises.
//!
//! By default they run against the reference answers in `solutions/`, so
//! `cargo test --workspace` proves the checks pass on a right answer; with
//! `--features exercises` they run against your files in `exercises/`:
//!
//! ```text
//! cargo test -p bw56-life --features exercises --test exercises
//! ```
//!
//! Each catalogued mistake in `tests/mistakes/` must be rejected by its
//! exercise's check, with the words a learner would need; the `mistake_*`
//! tests prove it (without the feature only).

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::io::ErrorKind;
use std::time::Duration;

use bw56_life::{CellIo, Fault, Grid, SimulationError, State, game_logic};
use course_support::exercise::{Exercise, catching, verdict};

#[cfg_attr(
    feature = "exercises",
    path = "../exercises/1_step_cell.rs",
    allow(clippy::todo, unused_variables)
)]
#[cfg_attr(not(feature = "exercises"), path = "../solutions/1_step_cell.rs")]
#[allow(unreachable_pub)]
mod step_cell;

#[cfg_attr(
    feature = "exercises",
    path = "../exercises/2_simulate.rs",
    allow(clippy::todo, unused_variables)
)]
#[cfg_attr(not(feature = "exercises"), path = "../solutions/2_simulate.rs")]
#[allow(unreachable_pub)]
mod simulate;

/// Long enough for any of these runs on a busy machine; only a stuck answer
/// reaches it.
const STUCK: Duration = Duration::from_secs(10);

const EX_56_1: Exercise = Exercise::new("56.1", "bw56-life/exercises/1_step_cell.rs");

/// The learner's `step_cell`, with its `get` and `set` passed as trait
/// objects so that one check can hand it any fake.
type StepCell = fn(
    &CellIo,
    usize,
    usize,
    &dyn Fn(isize, isize) -> State,
    &mut dyn FnMut(usize, usize, State),
) -> Result<(), SimulationError>;

/// Exercise 56.1's check: every neighbourhood of two cells through fakes,
/// then a cell whose I/O fails.
fn check_step_cell(step: StepCell) -> Result<(), String> {
    let ex = EX_56_1;
    ex.run("step_cell", STUCK, move || {
        // Row 0 and column 0 too: their neighbours have negative coordinates.
        for (y, x) in [(10, 5), (0, 0)] {
            for alive in 0..512 {
                one_neighbourhood(ex, step, y, x, alive)?;
            }
        }
        failing_cell(ex, step)
    })?
}

/// Cell `(y, x)` of an imaginary grid in which, of the 3×3 block around it,
/// the cells whose bit is set in `alive` live (bit `3 * (dy + 1) + (dx + 1)`
/// for the cell at offset `(dy, dx)`), and nothing else does.
fn one_neighbourhood(
    ex: Exercise,
    step: StepCell,
    y: usize,
    x: usize,
    alive: u16,
) -> Result<(), String> {
    let (cy, cx) = (y as isize, x as isize);
    let lives = |gy: isize, gx: isize| {
        let (dy, dx) = (gy - cy, gx - cx);
        dy.abs() <= 1 && dx.abs() <= 1 && alive >> (3 * (dy + 1) + dx + 1) & 1 == 1
    };
    let state_at = |gy, gx| {
        if lives(gy, gx) {
            State::Alive
        } else {
            State::Empty
        }
    };
    let reads = RefCell::new(BTreeSet::new());
    let fake_get = |gy: isize, gx: isize| {
        reads.borrow_mut().insert((gy, gx));
        state_at(gy, gx)
    };
    let mut writes = Vec::new();
    let mut fake_set = |wy, wx, state| writes.push((wy, wx, state));
    if let Err(error) = step(&CellIo::none(), y, x, &fake_get, &mut fake_set) {
        return Err(ex.fail(
            format!("step_cell returned an error although no I/O failed: {error}"),
            "return an error only when `io.game_logic` does",
        ));
    }

    let state = state_at(cy, cx);
    let neighbors = (0..9)
        .filter(|&bit| bit != 4 && alive >> bit & 1 == 1)
        .count() as u8;
    let expected = game_logic(state, neighbors);
    match writes[..] {
        [(wy, wx, got)] if (wy, wx) == (y, x) => ex.ensure(
            got == expected,
            || {
                format!(
                    "cell ({y}, {x}), {} with {neighbors} live neighbour{}, was set {got:?}; \
                     Conway's rule makes it {expected:?}",
                    if state == State::Alive {
                        "a live cell"
                    } else {
                        "an empty cell"
                    },
                    if neighbors == 1 { "" } else { "s" }
                )
            },
            "count the eight cells around (y, x) — rows y-1..=y+1, columns x-1..=x+1, \
             without (y, x) itself — and pass that count to `io.game_logic`",
        )?,
        _ => {
            return Err(ex.fail(
                format!(
                    "cell ({y}, {x}) made the writes {writes:?}; it must write only itself, once"
                ),
                "call `set(y, x, new_state)` exactly once, with the cell's own coordinates",
            ));
        }
    }

    let expected_reads: BTreeSet<_> = (cy - 1..=cy + 1)
        .flat_map(|ry| (cx - 1..=cx + 1).map(move |rx| (ry, rx)))
        .collect();
    let reads = reads.into_inner();
    ex.ensure(
        reads == expected_reads,
        || {
            format!(
                "cell ({y}, {x}) read the positions {reads:?}; it must read itself and its eight \
                 neighbours, {expected_reads:?}, and nothing else"
            )
        },
        "ask `get` for (y + dy, x + dx) with dy and dx in -1..=1, in signed coordinates; \
         `get` does the wrapping",
    )
}

/// Cell (10, 5)'s I/O fails: the error must name it, carry the I/O error, and
/// nothing may be written.
fn failing_cell(ex: Exercise, step: StepCell) -> Result<(), String> {
    let io = CellIo::none().with_fault(Fault::error_at(10, 5));
    let mut writes = Vec::new();
    let result = step(&io, 10, 5, &|_, _| State::Empty, &mut |y, x, state| {
        writes.push((y, x, state));
    });
    match result {
        Ok(()) => Err(ex.fail(
            "step_cell returned Ok although the I/O of cell (10, 5) failed",
            "apply the rules with `io.game_logic`, which does the cell's I/O, and when it \
             returns an error, return `SimulationError::io(y, x, error)`: the book raises \
             SimulationError(y, x)",
        )),
        Err(error) if (error.y, error.x) != (10, 5) => Err(ex.fail(
            format!(
                "the error names cell ({}, {}), but cell (10, 5) failed",
                error.y, error.x
            ),
            "build the error from the coordinates of the cell being computed",
        )),
        Err(error)
            if error.io_error().map(std::io::Error::kind) != Some(ErrorKind::ConnectionReset) =>
        {
            Err(ex.fail(
                format!("the error of cell (10, 5) does not carry its I/O error: {error:?}"),
                "`SimulationError::io(y, x, error)` keeps the I/O error as the source",
            ))
        }
        Err(_) => ex.ensure(
            writes.is_empty(),
            || format!("cell (10, 5) failed, yet it wrote {writes:?}"),
            "call `set` only once the I/O has succeeded",
        ),
    }
}

#[test]
fn exercise_56_1_step_cell() {
    verdict(check_step_cell(|io, y, x, get, set| {
        step_cell::step_cell(io, y, x, get, set)
    }));
}

const EX_56_2: Exercise = Exercise::new("56.2", "bw56-life/exercises/2_simulate.rs");

/// The learner's `simulate`.
type Simulate = fn(&Grid, &CellIo) -> Result<Grid, SimulationError>;

/// Exercise 56.2's check: five generations of two grids against the
/// reference, then a failing cell.
fn check_simulate(simulate: Simulate) -> Result<(), String> {
    let ex = EX_56_2;
    for (name, first) in [
        ("the glider", Grid::glider()),
        ("the 7x6 soup of seed 5", Grid::soup(7, 6, 5)),
    ] {
        let start = first.clone();
        let generations = ex.run("simulate", STUCK, move || {
            catching(|| {
                let mut grids = vec![start];
                for _ in 0..5 {
                    let last = grids.last().expect("starts with one grid");
                    grids.push(simulate(last, &CellIo::none())?);
                }
                Ok::<_, SimulationError>(grids)
            })
        })?;
        let generations = match generations {
            Ok(Ok(generations)) => generations,
            Ok(Err(error)) => {
                return Err(ex.fail(
                    format!("simulate failed on {name} although no I/O failed: {error}"),
                    "return an error only when a cell's `step_cell` does",
                ));
            }
            Err(panic) => {
                return Err(ex.fail(
                    format!("simulate panicked on {name}: {panic}"),
                    "compute every cell with `step_cell`, writing into a new grid of the same size",
                ));
            }
        };
        let mut expected = first;
        for (generation, grid) in generations.iter().enumerate().skip(1) {
            expected = bw56_life::simulate(&expected, &CellIo::none()).expect("no I/O, no failure");
            let wrong = expected
                .cells()
                .find(|&(y, x, state)| grid.get(y as isize, x as isize) != state);
            if let Some((y, x, state)) = wrong {
                return Err(ex.fail(
                    format!(
                        "generation {generation} of {name} differs from the reference at cell \
                         ({y}, {x}): expected {state:?}, got {:?}",
                        grid.get(y as isize, x as isize)
                    ),
                    "read every cell from `grid`, the current generation, and write only into \
                     the new grid: a cell must see its neighbours as they were when the \
                     generation began",
                ));
            }
        }
    }

    let io = CellIo::none().with_fault(Fault::error_at(2, 3));
    let outcome = ex.run("simulate", STUCK, move || {
        catching(|| simulate(&Grid::glider(), &io).map(|_| ()))
    })?;
    match outcome {
        Err(panic) => Err(ex.fail(
            format!("simulate panicked when cell (2, 3) failed: {panic}"),
            "return the cell's `SimulationError` with `?` instead of unwrapping it: a failure \
             is a value the caller handles, not a crash",
        )),
        Ok(Ok(())) => Err(ex.fail(
            "simulate returned Ok although cell (2, 3) failed",
            "return the first error `step_cell` gives",
        )),
        Ok(Err(error)) if (error.y, error.x) != (2, 3) => Err(ex.fail(
            format!(
                "the error names cell ({}, {}), but cell (2, 3) failed",
                error.y, error.x
            ),
            "return the failing cell's own error",
        )),
        Ok(Err(error)) => ex.ensure(
            error.io_error().map(std::io::Error::kind) == Some(ErrorKind::ConnectionReset),
            || format!("the error of cell (2, 3) does not carry its I/O error: {error:?}"),
            "return `step_cell`'s error as it is",
        ),
    }
}

#[test]
fn exercise_56_2_simulate() {
    verdict(check_simulate(simulate::simulate));
}

/// Wrong answers the checks must reject, each with the words that point to
/// its fix.
#[cfg(not(feature = "exercises"))]
#[allow(unreachable_pub)]
mod mistakes {
    use super::*;
    use course_support::exercise::rejected;

    #[path = "1_counts_itself.rs"]
    mod counts_itself;
    #[path = "2_panics_on_error.rs"]
    mod panics_on_error;
    #[path = "2_reads_new_grid.rs"]
    mod reads_new_grid;
    #[path = "1_swallows_error.rs"]
    mod swallows_error;

    #[test]
    fn mistake_56_1_counts_itself() {
        rejected(
            check_step_cell(|io, y, x, get, set| counts_itself::step_cell(io, y, x, get, set)),
            "Conway's rule makes it",
        );
    }

    #[test]
    fn mistake_56_1_swallows_error() {
        rejected(
            check_step_cell(|io, y, x, get, set| swallows_error::step_cell(io, y, x, get, set)),
            "returned Ok although the I/O of cell (10, 5) failed",
        );
    }

    #[test]
    fn mistake_56_2_reads_new_grid() {
        rejected(
            check_simulate(reads_new_grid::simulate),
            "differs from the reference",
        );
    }

    #[test]
    fn mistake_56_2_panics_on_error() {
        rejected(
            check_simulate(panics_on_error::simulate),
            "simulate panicked when cell (2, 3) failed",
        );
    }
}
