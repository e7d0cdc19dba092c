//! The checks of this lesson's exercises.
//!
//! By default they run against the reference answers in `solutions/`, so
//! `cargo test --workspace` proves the checks pass on a right answer; with
//! `--features exercises` they run against your files in `exercises/`:
//!
//! ```text
//! cargo test -p bw59-threadpool --features exercises --test exercises
//! ```
//!
//! Each catalogued mistake in `tests/mistakes/` must be rejected by its
//! exercise's check, with the words a learner would need; the `mistake_*`
//! tests prove it (without the feature only).

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use bw56_life::{CellIo, Fault, Grid, SimulationError, simulate};
use bw59_threadpool::Pool;
use course_support::InFlight;
use course_support::exercise::{Exercise, OverlapProbe, verdict, wait_until};
use crossbeam_channel::Receiver;

#[cfg_attr(
    feature = "exercises",
    path = "../exercises/1_worker_loop.rs",
    allow(clippy::todo, unused_variables)
)]
#[cfg_attr(not(feature = "exercises"), path = "../solutions/1_worker_loop.rs")]
#[allow(unreachable_pub)]
mod worker_loop;

#[cfg_attr(
    feature = "exercises",
    path = "../exercises/2_simulate_pool.rs",
    allow(clippy::todo, unused_variables)
)]
#[cfg_attr(not(feature = "exercises"), path = "../solutions/2_simulate_pool.rs")]
#[allow(unreachable_pub)]
mod simulate_pool;

use worker_loop::Job;

/// Long enough for any of these runs on a busy machine; only a stuck answer
/// reaches it.
const STUCK: Duration = Duration::from_secs(10);

const EX_59_1: Exercise = Exercise::new("59.1", "bw59-threadpool/exercises/1_worker_loop.rs");

/// Exercise 59.1's check: a pool of 4 given 40 jobs in two batches.
fn check_worker_loop(start: fn(usize, Receiver<Job>) -> Vec<JoinHandle<()>>) -> Result<(), String> {
    const SIZE: usize = 4;
    const JOBS: usize = 40;
    let ex = EX_59_1;
    let (jobs_tx, jobs_rx) = crossbeam_channel::unbounded::<Job>();
    let workers = ex.run("start_workers", STUCK, move || start(SIZE, jobs_rx))?;
    ex.ensure(
        workers.len() == SIZE,
        || {
            format!(
                "start_workers returned {} threads; a pool of {SIZE} has exactly {SIZE}",
                workers.len()
            )
        },
        "start one thread per worker and return every handle",
    )?;
    let worker_ids: HashSet<_> = workers.iter().map(|w| w.thread().id()).collect();

    // Every job holds until 5 run at once or 300 ms have passed, so a pool
    // that can run 4 at once shows 4, and one that can run more shows 5.
    let probe = Arc::new(OverlapProbe::new(SIZE + 1, Duration::from_millis(300)));
    let runs: Arc<Vec<AtomicUsize>> = Arc::new((0..JOBS).map(|_| AtomicUsize::new(0)).collect());
    let ran_on = Arc::new(Mutex::new(HashSet::new()));
    let send = |jobs: std::ops::Range<usize>| {
        for i in jobs {
            let (probe, runs, ran_on) = (probe.clone(), runs.clone(), ran_on.clone());
            let job: Job = Box::new(move || {
                probe.hold();
                ran_on
                    .lock()
                    .expect("no job panics while holding it")
                    .insert(thread::current().id());
                runs[i].fetch_add(1, SeqCst);
            });
            // The workers may all have returned already; then the job stays
            // queued, and the count below shows it never ran.
            let _ = jobs_tx.send(job);
        }
    };
    let all_finished = |workers: &[JoinHandle<()>]| workers.iter().all(JoinHandle::is_finished);
    send(0..JOBS / 2);
    wait_until(STUCK, || {
        runs[..JOBS / 2].iter().all(|r| r.load(SeqCst) > 0) || all_finished(&workers)
    });
    // A pause with an empty queue, then the second batch, then the close.
    wait_until(Duration::from_millis(500), || all_finished(&workers));
    send(JOBS / 2..JOBS);
    drop(jobs_tx);
    ex.run(
        "your workers, after the job channel was closed,",
        STUCK,
        move || {
            workers
                .into_iter()
                .map(JoinHandle::join)
                .collect::<Vec<_>>()
        },
    )?
    .into_iter()
    .collect::<Result<Vec<()>, _>>()
    .map_err(|_| ex.fail("a worker thread panicked", "a worker only runs jobs"))?;

    let ran: Vec<usize> = runs.iter().map(|r| r.load(SeqCst)).collect();
    let done = ran.iter().filter(|&&n| n > 0).count();
    ex.ensure(
        done == JOBS,
        || {
            format!(
                "your pool ran {done} of {JOBS} jobs; the ones sent after a pause with an \
                 empty queue were never run"
            )
        },
        "a worker must wait on the blocking `recv()` until it fails; an empty queue \
         (`try_recv`'s `Empty`) only means \"not yet\"",
    )?;
    if let Some(job) = ran.iter().position(|&n| n > 1) {
        return Err(ex.fail(
            format!(
                "job {job} ran {} times; every job must run exactly once",
                ran[job]
            ),
            "take each job out of the channel once; run the one you took",
        ));
    }
    let peak = probe.peak();
    ex.ensure(
        peak <= SIZE,
        || format!("your pool ran {peak} jobs at once; a pool of {SIZE} must never run more than {SIZE}"),
        "run each job on the worker that received it; a thread per job removes the bound",
    )?;
    ex.ensure(
        peak == SIZE,
        || {
            format!(
                "your pool ran at most {peak} jobs at once; its {SIZE} workers should run {SIZE}"
            )
        },
        "start every worker before returning; joining one before starting the next \
         leaves a single worker",
    )?;
    let ran_on = ran_on.lock().expect("every job has finished");
    ex.ensure(
        ran_on.is_subset(&worker_ids),
        || {
            format!(
                "jobs ran on {} threads that start_workers did not return",
                ran_on.difference(&worker_ids).count()
            )
        },
        "the returned handles must be the threads that run the jobs",
    )
}

#[test]
fn exercise_59_1_worker_loop() {
    verdict(check_worker_loop(worker_loop::start_workers));
}

const EX_59_2: Exercise = Exercise::new("59.2", "bw59-threadpool/exercises/2_simulate_pool.rs");

/// The learner's `simulate_pool`.
type SimulatePool = fn(&Pool, &Grid, &CellIo) -> Result<Grid, SimulationError>;

/// Exercise 59.2's check: four generations of the glider on a pool of 4,
/// then one generation with a failing cell.
fn check_simulate_pool(simulate_pool: SimulatePool) -> Result<(), String> {
    let ex = EX_59_2;
    let gauge = Arc::new(InFlight::new());
    let io = CellIo::new(Duration::from_millis(5)).with_gauge(Arc::clone(&gauge));
    let generations = ex.run("simulate_pool", STUCK, move || {
        let pool = Pool::new(4).expect("the system starts four threads");
        let mut grids = vec![Grid::glider()];
        for _ in 0..4 {
            let next = simulate_pool(&pool, grids.last().expect("starts with one"), &io);
            grids.push(next.map_err(|error| error.to_string())?);
        }
        Ok::<_, String>(grids)
    })?;
    let generations = generations.map_err(|error| {
        ex.fail(
            format!("a generation failed: {error}"),
            "no cell fails here",
        )
    })?;
    let mut expected = Grid::glider();
    for (generation, grid) in generations.iter().enumerate().skip(1) {
        expected = simulate(&expected, &CellIo::none()).expect("no I/O, no failure");
        if let Some((y, x, state)) = expected
            .cells()
            .find(|&(y, x, s)| grid.get(y as isize, x as isize) != s)
        {
            return Err(ex.fail(
                format!(
                    "generation {generation} differs from the serial simulate at cell ({y}, {x}): \
                     expected {state:?}, got {:?}",
                    grid.get(y as isize, x as isize)
                ),
                "build the grid from the results in the order the cells were submitted \
                 (row-major), one state per cell",
            ));
        }
    }
    let peak = gauge.peak();
    ex.ensure(
        peak > 1,
        || format!("your generation waited for at most {peak} cell at a time; a pool of 4 can wait for 4"),
        "submit every cell first, then wait for the handles; calling `result()` right after \
         `submit` makes the pool serial",
    )?;

    let gauge = Arc::new(InFlight::new());
    let io = CellIo::new(Duration::from_millis(20))
        .with_fault(Fault::error_at(2, 3))
        .with_gauge(Arc::clone(&gauge));
    let (outcome, left_running) = ex.run("simulate_pool", STUCK, move || {
        let pool = Pool::new(4).expect("the system starts four threads");
        let outcome = simulate_pool(&pool, &Grid::glider(), &io).map(|_| ());
        (outcome, gauge.current())
    })?;
    match outcome {
        Ok(()) => Err(ex.fail(
            "simulate_pool returned Ok although cell (2, 3) failed",
            "a job's `Err` is the generation's error: return the first one, as the book \
             raises SimulationError",
        )),
        Err(error) if (error.y, error.x) != (2, 3) => Err(ex.fail(
            format!(
                "the error names cell ({}, {}), but cell (2, 3) failed",
                error.y, error.x
            ),
            "return the failing job's own error",
        )),
        Err(_) => ex.ensure(
            left_running == 0,
            || format!("{left_running} cells were still doing I/O when simulate_pool returned"),
            "wait for every handle, even after the first error, so nothing of this \
             generation is still running",
        ),
    }
}

#[test]
fn exercise_59_2_simulate_pool() {
    verdict(check_simulate_pool(simulate_pool::simulate_pool));
}

/// Wrong answers the checks must reject, each with the words that point to
/// its fix.
#[cfg(not(feature = "exercises"))]
#[allow(unreachable_pub)]
mod mistakes {
    use super::*;
    use course_support::exercise::rejected;

    #[path = "1_leaves_when_idle.rs"]
    mod leaves_when_idle;
    #[path = "2_swallows_errors.rs"]
    mod swallows_errors;
    #[path = "1_thread_per_job.rs"]
    mod thread_per_job;
    #[path = "2_waits_for_each_job.rs"]
    mod waits_for_each_job;

    #[test]
    fn mistake_59_1_leaves_when_idle() {
        rejected(
            check_worker_loop(leaves_when_idle::start_workers),
            "were never run",
        );
    }

    #[test]
    fn mistake_59_1_thread_per_job() {
        rejected(
            check_worker_loop(thread_per_job::start_workers),
            "must never run more than 4",
        );
    }

    #[test]
    fn mistake_59_2_waits_for_each_job() {
        rejected(
            check_simulate_pool(waits_for_each_job::simulate_pool),
            "at most 1 cell at a time",
        );
    }

    #[test]
    fn mistake_59_2_swallows_errors() {
        rejected(
            check_simulate_pool(swallows_errors::simulate_pool),
            "returned Ok although cell (2, 3) failed",
        );
    }
}
