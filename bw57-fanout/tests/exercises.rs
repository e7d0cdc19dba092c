//! The checks of this lesson's exercises.
//!
//! By default they run against the reference answers in `solutions/`, so
//! `cargo test --workspace` proves the checks pass on a right answer; with
//! `--features exercises` they run against your files in `exercises/`:
//!
//! ```text
//! cargo test -p bw57-fanout --features exercises --test exercises
//! ```
//!
//! Each catalogued mistake in `tests/mistakes/` must be rejected by its
//! exercise's check, with the words a learner would need; the `mistake_*`
//! tests prove it (without the feature only).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use bw56_life::{CellIo, Fault, Grid, SimulationError, State, next_state};
use course_support::exercise::{Exercise, OverlapProbe, catching, verdict};

#[cfg_attr(
    feature = "exercises",
    path = "../exercises/1_scoped_fan_out.rs",
    allow(clippy::todo, unused_variables)
)]
#[cfg_attr(not(feature = "exercises"), path = "../solutions/1_scoped_fan_out.rs")]
#[allow(unreachable_pub)]
mod scoped_fan_out;

#[cfg_attr(
    feature = "exercises",
    path = "../exercises/2_join_every_thread.rs",
    allow(clippy::todo, unused_variables)
)]
#[cfg_attr(
    not(feature = "exercises"),
    path = "../solutions/2_join_every_thread.rs"
)]
#[allow(unreachable_pub)]
mod join_every_thread;

/// Long enough for any of these runs on a busy machine; only a stuck answer
/// reaches it.
const STUCK: Duration = Duration::from_secs(10);

/// The grid both checks fan out: 4×5, so 20 cell threads a generation.
fn soup() -> Grid {
    Grid::soup(4, 5, 3)
}

/// The next state of cell `(y, x)`, as the lesson computes it, with `io`.
fn lesson_step(io: &CellIo, grid: &Grid, y: usize, x: usize) -> Result<State, SimulationError> {
    next_state(io, y, x, |y, x| grid.get(y, x))
}

/// The first cell where `got` differs from `expected`, described.
fn first_difference(expected: &Grid, got: &Grid) -> Option<String> {
    expected
        .cells()
        .find(|&(y, x, state)| got.get(y as isize, x as isize) != state)
        .map(|(y, x, state)| {
            format!(
                "cell ({y}, {x}): expected {state:?}, got {:?}",
                got.get(y as isize, x as isize)
            )
        })
}

const EX_57_1: Exercise = Exercise::new("57.1", "bw57-fanout/exercises/1_scoped_fan_out.rs");

/// The learner's `simulate_scoped`.
type SimulateScoped = fn(&Grid, &scoped_fan_out::Step) -> Result<Grid, SimulationError>;

/// Exercise 57.1's check: three generations with a probe on every cell, then
/// a failing cell.
fn check_scoped_fan_out(simulate: SimulateScoped) -> Result<(), String> {
    let ex = EX_57_1;
    let mut grid = soup();
    let cells = grid.len();
    for generation in 1..=3 {
        // Every cell is held until all 20 are running at once, or for 2 s
        // from the first: a thread per cell shows 20, and a serial fan-out
        // shows 1 once the window has passed.
        let probe = Arc::new(OverlapProbe::new(cells, Duration::from_secs(2)));
        let computed: Arc<Vec<AtomicUsize>> =
            Arc::new((0..cells).map(|_| AtomicUsize::new(0)).collect());
        let (last, width) = (grid.clone(), grid.width());
        let (p, c) = (Arc::clone(&probe), Arc::clone(&computed));
        let (next, running) = ex.run("simulate_scoped", STUCK, move || {
            // `Step` is `'static`, so the step owns its handles.
            let probe = Arc::clone(&p);
            let step = move |grid: &Grid, y: usize, x: usize| {
                probe.hold();
                c[y * width + x].fetch_add(1, SeqCst);
                lesson_step(&CellIo::none(), grid, y, x)
            };
            let next = simulate(&last, &step);
            (next, p.current())
        })?;
        let next = next.map_err(|error| {
            ex.fail(
                format!("generation {generation} failed although no cell did: {error}"),
                "return an error only when a cell's step does",
            )
        })?;
        let peak = probe.peak();
        ex.ensure(
            peak == cells,
            || {
                format!(
                    "your fan-out ran at most {peak} cell(s) at once; a thread per cell runs all \
                     {cells} of this grid at once"
                )
            },
            "spawn every cell's thread before joining any; a handle joined right after its \
             spawn makes the next cell wait for this one",
        )?;
        let counts: Vec<usize> = computed.iter().map(|c| c.load(SeqCst)).collect();
        if let Some(cell) = counts.iter().position(|&n| n != 1) {
            return Err(ex.fail(
                format!(
                    "in generation {generation}, cell ({}, {}) was computed {} times; every cell \
                     exactly once",
                    cell / width,
                    cell % width,
                    counts[cell]
                ),
                "spawn one thread for each of `grid.positions()`",
            ));
        }
        ex.ensure(
            running == 0,
            || format!("{running} cells were still running when simulate_scoped returned"),
            "spawn the threads inside `std::thread::scope`: it returns only when all have ended",
        )?;
        let expected = bw56_life::simulate(&grid, &CellIo::none()).expect("no I/O, no failure");
        if let Some(difference) = first_difference(&expected, &next) {
            return Err(ex.fail(
                format!("generation {generation} differs from the serial simulate at {difference}"),
                "join the handles in the order they were spawned — row-major — and build the \
                 grid from their states in that order",
            ));
        }
        grid = next;
    }

    let outcome = ex.run("simulate_scoped", STUCK, move || {
        let io = CellIo::none().with_fault(Fault::error_at(2, 3));
        let step = move |grid: &Grid, y: usize, x: usize| lesson_step(&io, grid, y, x);
        catching(|| simulate(&soup(), &step).map(|_| ()))
    })?;
    match outcome {
        Err(panic) => Err(ex.fail(
            format!("simulate_scoped panicked when cell (2, 3) failed: {panic}"),
            "a cell's `Err` is a value: return it with `?` after joining its handle",
        )),
        Ok(Ok(())) => Err(ex.fail(
            "simulate_scoped returned Ok although cell (2, 3) failed",
            "a joined cell's `Err` is the generation's error: return the first one, as the \
             book raises SimulationError",
        )),
        Ok(Err(error)) => ex.ensure(
            (error.y, error.x) == (2, 3),
            || {
                format!(
                    "the error names cell ({}, {}), but cell (2, 3) failed",
                    error.y, error.x
                )
            },
            "return the failing cell's own error",
        ),
    }
}

#[test]
fn exercise_57_1_scoped_fan_out() {
    verdict(check_scoped_fan_out(scoped_fan_out::simulate_scoped));
}

const EX_57_2: Exercise = Exercise::new("57.2", "bw57-fanout/exercises/2_join_every_thread.rs");

/// The learner's `simulate_threaded`.
type SimulateThreaded =
    fn(Arc<Grid>, Arc<join_every_thread::Step>) -> Result<Grid, SimulationError>;

/// How long the cells after a failing one are held back if the call has not
/// returned: a right answer waits for them that long; a wrong one returns
/// before.
const HELD: Duration = Duration::from_secs(1);

/// What a run of the learner's `simulate_threaded` left behind.
struct Run {
    result: Result<Result<Grid, SimulationError>, String>,
    /// Cells whose step had not finished when the call returned.
    unfinished: usize,
}

/// Runs `simulate` on the soup with the lesson's step and `io`, where the
/// cells after `failing` in row-major order (if given) are held until the
/// call has returned or [`HELD`] has passed since the first of them started.
fn run_threaded(
    ex: Exercise,
    simulate: SimulateThreaded,
    io: CellIo,
    failing: Option<(usize, usize)>,
) -> Result<Run, String> {
    ex.run("simulate_threaded", STUCK, move || {
        let grid = soup();
        let (cells, width) = (grid.len(), grid.width());
        let finished = Arc::new(AtomicUsize::new(0));
        let returned = Arc::new(AtomicBool::new(false));
        let first_held = Arc::new(OnceLock::new());
        let step: Arc<join_every_thread::Step> = {
            let (finished, returned) = (Arc::clone(&finished), Arc::clone(&returned));
            Arc::new(move |grid: &Grid, y: usize, x: usize| {
                // Counts the cell as finished however its step ends, panics
                // included.
                let _finished = Finish(&finished);
                if failing.is_some_and(|(fy, fx)| y * width + x > fy * width + fx) {
                    let first = *first_held.get_or_init(Instant::now);
                    while !returned.load(SeqCst) && first.elapsed() < HELD {
                        thread::sleep(Duration::from_millis(1));
                    }
                }
                lesson_step(&io, grid, y, x)
            })
        };
        let result = catching(|| simulate(Arc::new(grid), step));
        let unfinished = cells - finished.load(SeqCst);
        returned.store(true, SeqCst);
        Run { result, unfinished }
    })
}

/// Adds one to its counter when dropped.
struct Finish<'a>(&'a AtomicUsize);

impl Drop for Finish<'_> {
    fn drop(&mut self) {
        self.0.fetch_add(1, SeqCst);
    }
}

/// Exercise 57.2's check: a plain generation, one whose cell (2, 3) panics,
/// and one whose cell (1, 1) fails with an error.
fn check_join_every_thread(simulate: SimulateThreaded) -> Result<(), String> {
    let ex = EX_57_2;
    let run = run_threaded(ex, simulate, CellIo::none(), None)?;
    let next = match run.result {
        Err(panic) => {
            return Err(ex.fail(
                format!("simulate_threaded panicked although no cell failed: {panic}"),
                "spawn a thread per cell, each owning clones of the two `Arc`s",
            ));
        }
        Ok(result) => result.map_err(|error| {
            ex.fail(
                format!("simulate_threaded failed although no cell did: {error}"),
                "return an error only when a cell's step does",
            )
        })?,
    };
    let expected = bw56_life::simulate(&soup(), &CellIo::none()).expect("no I/O, no failure");
    if let Some(difference) = first_difference(&expected, &next) {
        return Err(ex.fail(
            format!("the generation differs from the serial simulate at {difference}"),
            "join the handles in row-major order and build the grid from their states",
        ));
    }

    let run = run_threaded(
        ex,
        simulate,
        CellIo::none().with_fault(Fault::panic_at(2, 3)),
        Some((2, 3)),
    )?;
    match run.result {
        Err(panic) => {
            return Err(ex.fail(
                format!(
                    "simulate_threaded panicked when the thread of cell (2, 3) panicked: {panic}"
                ),
                "`join()` returns `Err(payload)` for a thread that panicked: turn it into \
                 `SimulationError::panicked(y, x, payload)` instead of unwrapping it",
            ));
        }
        Ok(Ok(_)) => {
            return Err(ex.fail(
                "simulate_threaded returned Ok although the thread of cell (2, 3) panicked",
                "a joined handle's `Err(payload)` is the cell's failure: return it as \
                 `SimulationError::panicked(y, x, payload)`, not as an empty cell",
            ));
        }
        Ok(Err(error)) if (error.y, error.x) != (2, 3) || !error.is_panic() => {
            return Err(ex.fail(
                format!(
                    "cell (2, 3) panicked, but the error says: {error} ({:?})",
                    error.source
                ),
                "build the error from the coordinates kept beside the handle: \
                 `SimulationError::panicked(y, x, payload)`",
            ));
        }
        Ok(Err(error)) => ex.ensure(
            error
                .source
                .to_string()
                .contains("injected panic at cell (2, 3)"),
            || {
                format!(
                    "the error of cell (2, 3) lost the panic's message: {}",
                    error.source
                )
            },
            "pass the payload `join()` returned to `SimulationError::panicked`",
        )?,
    }
    ex.ensure(
        run.unfinished == 0,
        || {
            format!(
                "simulate_threaded returned while {} cell threads were still running: nobody \
                 joins them now",
                run.unfinished
            )
        },
        "keep joining after the first failure — every handle, in a loop with no early return — \
         and return the first error once all are joined",
    )?;

    let run = run_threaded(
        ex,
        simulate,
        CellIo::none().with_fault(Fault::error_at(1, 1)),
        Some((1, 1)),
    )?;
    match run.result {
        Err(panic) => Err(ex.fail(
            format!("simulate_threaded panicked when cell (1, 1) failed: {panic}"),
            "a cell's `Err` is a value: keep it and return it",
        )),
        Ok(Ok(_)) => Err(ex.fail(
            "simulate_threaded returned Ok although cell (1, 1) failed",
            "`Ok(Err(error))` from `join()` is the cell's own error: return the first one",
        )),
        Ok(Err(error)) => ex.ensure(
            (error.y, error.x) == (1, 1) && !error.is_panic(),
            || format!("cell (1, 1) failed with an I/O error, but the error says: {error}"),
            "return the cell's own error as it is",
        ),
    }
}

#[test]
fn exercise_57_2_join_every_thread() {
    verdict(check_join_every_thread(
        join_every_thread::simulate_threaded,
    ));
}

/// Wrong answers the checks must reject, each with the words that point to
/// its fix.
#[cfg(not(feature = "exercises"))]
#[allow(unreachable_pub)]
mod mistakes {
    use super::*;
    use course_support::exercise::rejected;

    #[path = "1_joins_each_at_once.rs"]
    mod joins_each_at_once;
    #[path = "2_returns_at_first_error.rs"]
    mod returns_at_first_error;
    #[path = "1_swallows_errors.rs"]
    mod swallows_errors;
    #[path = "2_swallows_panic.rs"]
    mod swallows_panic;
    #[path = "2_unwraps_join.rs"]
    mod unwraps_join;

    #[test]
    fn mistake_57_1_joins_each_at_once() {
        rejected(
            check_scoped_fan_out(joins_each_at_once::simulate_scoped),
            "ran at most 1 cell(s) at once",
        );
    }

    #[test]
    fn mistake_57_1_swallows_errors() {
        rejected(
            check_scoped_fan_out(swallows_errors::simulate_scoped),
            "returned Ok although cell (2, 3) failed",
        );
    }

    #[test]
    fn mistake_57_2_unwraps_join() {
        rejected(
            check_join_every_thread(unwraps_join::simulate_threaded),
            "panicked when the thread of cell (2, 3) panicked",
        );
    }

    #[test]
    fn mistake_57_2_returns_at_first_error() {
        rejected(
            check_join_every_thread(returns_at_first_error::simulate_threaded),
            "cell threads were still running",
        );
    }

    #[test]
    fn mistake_57_2_swallows_panic() {
        rejected(
            check_join_every_thread(swallows_panic::simulate_threaded),
            "returned Ok although the thread of cell (2, 3) panicked",
        );
    }
}
