//! The checks of this lesson's exercises.
//!
//! By default they run against the reference answers in `solutions/`, so
//! `cargo test --workspace` proves the checks pass on a right answer; with
//! `--features exercises` they run against your files in `exercises/`:
//!
//! ```text
//! cargo test -p bw60-coroutines --features exercises --test exercises
//! ```
//!
//! Each catalogued mistake in `tests/mistakes/` must be rejected by its
//! exercise's check, with the words a learner would need; the `mistake_*`
//! tests prove it (without the feature only).
//!
//! Every check runs the answer on a single-threaded tokio runtime whose clock
//! is paused: a timer fires only once every task is waiting, so "all cells
//! wait at once" is a fact the gauge sees, not a race, and an hour of I/O
//! passes in no real time.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::Duration;

use bw56_life::{CellIo, Fault, Grid, SimulationError, Timer, simulate};
use course_support::InFlight;
use course_support::exercise::{Exercise, catching, verdict};

#[cfg_attr(
    feature = "exercises",
    path = "../exercises/1_fan_out.rs",
    allow(clippy::todo, unused_variables)
)]
#[cfg_attr(not(feature = "exercises"), path = "../solutions/1_fan_out.rs")]
#[allow(unreachable_pub)]
mod fan_out;

#[cfg_attr(
    feature = "exercises",
    path = "../exercises/2_cancel.rs",
    allow(clippy::todo, unused_variables)
)]
#[cfg_attr(not(feature = "exercises"), path = "../solutions/2_cancel.rs")]
#[allow(unreachable_pub)]
mod cancel;

/// Long enough for any of these runs on a busy machine; only a stuck answer
/// reaches it.
const STUCK: Duration = Duration::from_secs(10);

/// One generation of the learner's `simulate`, boxed so that one check
/// serves the answer and every catalogued mistake.
type Generation = Pin<Box<dyn Future<Output = Result<Grid, SimulationError>>>>;

/// The learner's `simulate`, given owned arguments (see the tests).
type Simulate = fn(ReversingTimer, Grid, CellIo) -> Generation;

/// A tokio timer under which every wait lasts longer than the next one
/// started: the cells finish in the reverse of the order they began their
/// I/O, so an answer that stores states in the order they arrive puts them
/// in the wrong cells — every time, not by chance.
#[derive(Clone, Debug, Default)]
struct ReversingTimer {
    calls: Arc<AtomicUsize>,
}

/// More waits than any generation here starts.
const WAITS: usize = 1000;

impl Timer for ReversingTimer {
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        let call = self.calls.fetch_add(1, SeqCst);
        let factor = WAITS.saturating_sub(call).max(1) as u32;
        tokio::time::sleep(duration * factor)
    }
}

/// A single-threaded runtime, as asyncio's loop is, with its clock paused:
/// time moves only when every task waits, straight to the next timer.
fn paused_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a runtime starts")
}

/// Runs `generations` generations of the glider through `simulate`, with
/// 10 ms of I/O in both calls of every cell, counted on `gauge`; each must
/// equal the serial `simulate`.
fn check_generations(
    ex: Exercise,
    simulate_async: Simulate,
    generations: usize,
    gauge: &Arc<InFlight>,
) -> Result<(), String> {
    let io = CellIo::new(Duration::from_millis(10))
        .with_neighbor_io(true)
        .with_gauge(Arc::clone(gauge));
    let grids = ex.run("simulate", STUCK, move || {
        let runtime = paused_runtime();
        let mut grids = vec![Grid::glider()];
        for _ in 0..generations {
            let grid = grids.last().expect("starts with one").clone();
            let next =
                runtime.block_on(simulate_async(ReversingTimer::default(), grid, io.clone()));
            grids.push(next.map_err(|error| error.to_string())?);
        }
        Ok::<_, String>(grids)
    })?;
    let grids = grids.map_err(|error| {
        ex.fail(
            format!("a generation failed: {error}"),
            "no cell fails here",
        )
    })?;
    let mut expected = Grid::glider();
    for (generation, grid) in grids.iter().enumerate().skip(1) {
        expected = simulate(&expected, &CellIo::none()).expect("no I/O, no failure");
        if let Some((y, x, state)) = expected
            .cells()
            .find(|&(y, x, s)| grid.get(y as isize, x as isize) != s)
        {
            return Err(ex.fail(
                format!(
                    "generation {generation} differs from the serial simulate at cell ({y}, {x}): \
                     expected {state:?}, got {:?} (here the cells finish in the reverse of the \
                     order they started)",
                    grid.get(y as isize, x as isize)
                ),
                "store each cell's state at its own index (row-major: y * width + x), whatever \
                 order the results come in",
            ));
        }
    }
    let (peak, cells) = (gauge.peak(), Grid::glider().len());
    ex.ensure(
        peak == cells,
        || {
            format!(
                "your generation had at most {peak} of {cells} cells waiting for I/O at once; \
                 coroutines are there so that all of them wait together"
            )
        },
        "spawn every cell's task first, then await them; awaiting a task right after \
         spawning it waits for that one cell alone",
    )
}

/// Checks that `outcome`, the result of a generation in which cell `fault`
/// failed (`how`), is an error naming that cell.
fn check_named(
    ex: Exercise,
    outcome: Result<(), SimulationError>,
    fault: Fault,
    how: &str,
) -> Result<(), String> {
    match outcome {
        Ok(()) => Err(ex.fail(
            format!(
                "simulate returned Ok although cell ({}, {}) {how}",
                fault.y, fault.x
            ),
            "a cell's failure is the generation's error: return it",
        )),
        Err(error) if (error.y, error.x) != (fault.y, fault.x) => Err(ex.fail(
            format!(
                "the error names cell ({}, {}), but cell ({}, {}) {how}",
                error.y, error.x, fault.y, fault.x
            ),
            "return the failing cell's own error, or name the cell whose task panicked",
        )),
        Err(_) => Ok(()),
    }
}

const EX_60_1: Exercise = Exercise::new("60.1", "bw60-coroutines/exercises/1_fan_out.rs");

/// Exercise 60.1's check: four generations, then a failing and a panicking
/// cell.
fn check_fan_out(simulate_async: Simulate) -> Result<(), String> {
    let ex = EX_60_1;
    check_generations(ex, simulate_async, 4, &Arc::new(InFlight::new()))?;

    let fault = Fault::error_at(2, 3);
    let io = CellIo::new(Duration::from_millis(10)).with_fault(fault);
    let outcome = ex.run("simulate", STUCK, move || {
        paused_runtime()
            .block_on(simulate_async(
                ReversingTimer::default(),
                Grid::glider(),
                io,
            ))
            .map(|_| ())
    })?;
    check_named(ex, outcome, fault, "failed")?;

    let fault = Fault::panic_at(2, 3);
    let io = CellIo::new(Duration::from_millis(10)).with_fault(fault);
    let outcome = ex.run("simulate", STUCK, move || {
        catching(|| {
            paused_runtime()
                .block_on(simulate_async(
                    ReversingTimer::default(),
                    Grid::glider(),
                    io,
                ))
                .map(|_| ())
        })
    })?;
    let outcome = outcome.map_err(|message| {
        ex.fail(
            format!(
                "a panicking cell crashed your whole generation (\"{message}\") instead of \
                 coming back as an error naming cell (2, 3)"
            ),
            "a task's panic comes back from `.await` as a `JoinError`: turn it into \
             `SimulationError::panicked(y, x, error.into_panic())`",
        )
    })?;
    check_named(ex, outcome, fault, "panicked")
}

#[test]
fn exercise_60_1_fan_out() {
    verdict(check_fan_out(|timer, grid, io| {
        Box::pin(async move { fan_out::simulate(timer, &grid, &io).await })
    }));
}

const EX_60_2: Exercise = Exercise::new("60.2", "bw60-coroutines/exercises/2_cancel.rs");

/// How long every cell but the failing one waits in 60.2's failing
/// generation (on the paused clock, so no real time).
const HOUR: Duration = Duration::from_secs(3600);

/// Exercise 60.2's check: two generations, then one in which cell (2, 3)
/// fails at once while every other cell waits an hour.
fn check_cancel(simulate_async: Simulate) -> Result<(), String> {
    let ex = EX_60_2;
    check_generations(ex, simulate_async, 2, &Arc::new(InFlight::new()))?;

    let fault = Fault::error_at(2, 3);
    let gauge = Arc::new(InFlight::new());
    let io = CellIo::new(HOUR)
        .with_fault(fault)
        .with_gauge(Arc::clone(&gauge));
    let (outcome, waited, left) = ex.run("simulate", STUCK, move || {
        paused_runtime().block_on(async move {
            let started = tokio::time::Instant::now();
            let outcome = simulate_async(ReversingTimer::default(), Grid::glider(), io).await;
            // Read before anything else can run on this runtime's one thread.
            (outcome.map(|_| ()), started.elapsed(), gauge.current())
        })
    })?;
    check_named(ex, outcome, fault, "failed")?;
    ex.ensure(
        waited < HOUR,
        || {
            format!(
                "the error of cell (2, 3), which failed at once, came back only after {} h of \
                 the others' I/O: your generation waited for cells that were still working",
                waited.as_secs() / 3600
            )
        },
        "take the results in the order they finish (`JoinSet::join_next`) and stop at the \
         first error",
    )?;
    ex.ensure(
        left == 0,
        || {
            format!(
                "{left} cells were still waiting on their I/O when simulate returned the error \
                 of cell (2, 3); a failed generation must leave nothing running"
            )
        },
        "dropping a `JoinHandle` does not cancel its task, and dropping a `JoinSet` only asks \
         its tasks to stop: cancel them and wait until they are gone (`JoinSet::shutdown().await`)",
    )
}

#[test]
fn exercise_60_2_cancel() {
    verdict(check_cancel(|timer, grid, io| {
        Box::pin(async move { cancel::simulate(timer, &grid, &io).await })
    }));
}

/// Wrong answers the checks must reject, each with the words that point to
/// its fix.
#[cfg(not(feature = "exercises"))]
#[allow(unreachable_pub)]
mod mistakes {
    use super::*;
    use course_support::exercise::rejected;

    #[path = "1_awaits_each_cell.rs"]
    mod awaits_each_cell;
    #[path = "1_expects_every_task.rs"]
    mod expects_every_task;
    #[path = "2_leaves_cells_running.rs"]
    mod leaves_cells_running;
    #[path = "2_waits_for_every_cell.rs"]
    mod waits_for_every_cell;

    #[test]
    fn mistake_60_1_awaits_each_cell() {
        rejected(
            check_fan_out(|timer, grid, io| {
                Box::pin(async move { awaits_each_cell::simulate(timer, &grid, &io).await })
            }),
            "at most 1 of 45 cells waiting",
        );
    }

    #[test]
    fn mistake_60_1_expects_every_task() {
        rejected(
            check_fan_out(|timer, grid, io| {
                Box::pin(async move { expects_every_task::simulate(timer, &grid, &io).await })
            }),
            "a panicking cell crashed your whole generation",
        );
    }

    #[test]
    fn mistake_60_2_waits_for_every_cell() {
        rejected(
            check_cancel(|timer, grid, io| {
                Box::pin(async move { waits_for_every_cell::simulate(timer, &grid, &io).await })
            }),
            "came back only after",
        );
    }

    #[test]
    fn mistake_60_2_leaves_cells_running() {
        rejected(
            check_cancel(|timer, grid, io| {
                Box::pin(async move { leaves_cells_running::simulate(timer, &grid, &io).await })
            }),
            "cells were still waiting on their I/O",
        );
    }
}
