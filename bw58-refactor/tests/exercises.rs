//! The checks of this lesson's exercises.
//!
//! By default they run against the reference answers in `solutions/`, so
//! `cargo test --workspace` proves the checks pass on a right answer; with
//! `--features exercises` they run against your files in `exercises/`:
//!
//! ```text
//! cargo test -p bw58-refactor --features exercises --test exercises
//! ```
//!
//! Each catalogued mistake in `tests/mistakes/` must be rejected by its
//! exercise's check, with the words a learner would need; the `mistake_*`
//! tests prove it (without the feature only).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::thread;
use std::time::{Duration, Instant};

use bw56_life::{CellError, CellIo, Fault, FaultKind, Grid, count_neighbors, game_logic, simulate};
use course_support::exercise::{Exercise, OverlapProbe, catching, verdict};
use crossbeam_channel::{Receiver, Sender, bounded, select, unbounded};

#[cfg_attr(
    feature = "exercises",
    path = "../exercises/1_coordinator.rs",
    allow(clippy::todo, unused_variables)
)]
#[cfg_attr(not(feature = "exercises"), path = "../solutions/1_coordinator.rs")]
#[allow(unreachable_pub)]
mod coordinator;

#[cfg_attr(
    feature = "exercises",
    path = "../exercises/2_worker.rs",
    allow(clippy::todo, unused_variables)
)]
#[cfg_attr(not(feature = "exercises"), path = "../solutions/2_worker.rs")]
#[allow(unreachable_pub)]
mod worker;

/// Long enough for any of these runs on a busy machine; only a stuck answer
/// reaches it.
const STUCK: Duration = Duration::from_secs(10);

const EX_58_1: Exercise = Exercise::new("58.1", "bw58-refactor/exercises/1_coordinator.rs");

/// Workers of exercise 58.1's check.
const WORKERS: usize = 4;

/// Time without a job taken or an answer handed back, with no worker busy,
/// after which 58.1's check declares the coordinator stuck. A coordinator
/// that moves at all moves every few microseconds.
const STALL: Duration = Duration::from_secs(3);

/// The learner's `simulate_pipeline`.
type SimulatePipeline = fn(&Grid, &Sender<coordinator::Job>, &Receiver<coordinator::Done>) -> Grid;

/// What the check's workers record for 58.1.
struct Bench {
    /// Jobs taken plus answers handed back: moves whenever the pipeline does.
    progress: AtomicUsize,
    /// Workers blocked on handing back an answer.
    answering: AtomicUsize,
    /// How often each cell (row-major index) was sent to a worker.
    sent: Vec<AtomicUsize>,
    /// Holds each cell until all workers are busy (or for a window), so the
    /// peak shows how many jobs the coordinator keeps in flight.
    probe: OverlapProbe,
}

/// One of the check's workers: takes jobs until `abort` disconnects (the
/// check ending) or the jobs end, answers each with the rule of Life.
fn bench_worker(
    bench: &Bench,
    width: usize,
    jobs_rx: &Receiver<coordinator::Job>,
    results_tx: &Sender<coordinator::Done>,
    abort: &Receiver<()>,
) {
    loop {
        let (y, x, state, neighbors) = select! {
            recv(jobs_rx) -> job => match job {
                Ok(job) => job,
                Err(_) => return,
            },
            recv(abort) -> _ => return,
        };
        bench.progress.fetch_add(1, SeqCst);
        bench.sent[y * width + x].fetch_add(1, SeqCst);
        bench.probe.hold();
        let answer = (y, x, game_logic(state, neighbors));
        bench.answering.fetch_add(1, SeqCst);
        let answered = select! {
            send(results_tx, answer) -> sent => sent.is_ok(),
            recv(abort) -> _ => false,
        };
        bench.answering.fetch_sub(1, SeqCst);
        if !answered {
            return;
        }
        bench.progress.fetch_add(1, SeqCst);
    }
}

/// Watches 58.1's pipeline until `finished`. If nothing moves for [`STALL`]
/// it describes the state the pipeline is stuck in, then drops `abort`,
/// which ends every worker — and with them the coordinator's blocked send or
/// receive, so a deadlocked answer is reported, not waited for.
fn watch(
    bench: &Bench,
    finished: &AtomicBool,
    jobs_tx: &Sender<coordinator::Job>,
    results_rx: &Receiver<coordinator::Done>,
    abort: Sender<()>,
) -> Option<String> {
    let mut seen = bench.progress.load(SeqCst);
    let mut since = Instant::now();
    while !finished.load(SeqCst) {
        thread::sleep(Duration::from_millis(5));
        let now = bench.progress.load(SeqCst);
        if now != seen || bench.probe.current() > 0 {
            (seen, since) = (now, Instant::now());
        } else if since.elapsed() >= STALL {
            let taken: usize = bench.sent.iter().map(|n| n.load(SeqCst)).sum();
            let answering = bench.answering.load(SeqCst);
            let state = format!(
                "jobs taken by the workers: {taken}, waiting in the job channel: {}, answers \
                 unread: {}, workers waiting to hand back an answer: {answering} of {WORKERS}",
                jobs_tx.len(),
                results_rx.len()
            );
            drop(abort);
            return Some(
                if jobs_tx.is_full() && results_rx.is_full() && answering == WORKERS {
                    format!(
                        "your coordinator made no progress for {} s — a deadlock: {state}. The \
                         workers wait for you to take an answer while you wait for room to send \
                         a job",
                        STALL.as_secs()
                    )
                } else {
                    format!(
                        "your coordinator made no progress for {} s: {state}",
                        STALL.as_secs()
                    )
                },
            );
        }
    }
    None
}

/// Exercise 58.1's check: four generations of the glider through 4 workers
/// on channels of capacity 1.
fn check_coordinator(simulate_pipeline: SimulatePipeline) -> Result<(), String> {
    const GENERATIONS: usize = 4;
    let ex = EX_58_1;
    let first = Grid::glider();
    let width = first.width();
    let bench = Arc::new(Bench {
        progress: AtomicUsize::new(0),
        answering: AtomicUsize::new(0),
        sent: (0..first.len()).map(|_| AtomicUsize::new(0)).collect(),
        probe: OverlapProbe::new(WORKERS, Duration::from_secs(2)),
    });
    let (jobs_tx, jobs_rx) = bounded(1);
    let (results_tx, results_rx) = bounded(1);
    // Nothing is ever sent on `abort`; dropping its sender wakes every worker.
    let (abort_tx, abort_rx) = bounded::<()>(0);
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (bench, jobs_rx, results_tx, abort_rx) = (
                Arc::clone(&bench),
                jobs_rx.clone(),
                results_tx.clone(),
                abort_rx.clone(),
            );
            thread::spawn(move || bench_worker(&bench, width, &jobs_rx, &results_tx, &abort_rx))
        })
        .collect();
    // Only the workers hold these ends, so a coordinator left waiting on them
    // is released when the workers end.
    drop((jobs_rx, results_tx, abort_rx));
    let finished = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (bench, finished) = (Arc::clone(&bench), Arc::clone(&finished));
        let (jobs_tx, results_rx) = (jobs_tx.clone(), results_rx.clone());
        thread::spawn(move || watch(&bench, &finished, &jobs_tx, &results_rx, abort_tx))
    };
    let generations = ex.run("your coordinator", STUCK, move || {
        let mut grids = vec![first];
        for _ in 0..GENERATIONS {
            let next = simulate_pipeline(
                grids.last().expect("starts with one"),
                &jobs_tx,
                &results_rx,
            );
            grids.push(next);
        }
        grids
    });
    finished.store(true, SeqCst);
    let stall = watcher.join().expect("the watcher does not panic");
    // The watcher has dropped `abort`: every worker returns.
    for worker in workers {
        worker.join().expect("the check's workers do not panic");
    }
    if let Some(stall) = stall {
        return Err(ex.fail(
            stall,
            "never wait on a send alone: wait on the send *or* a receive (crossbeam's `Select`) \
             and take answers while jobs are still going out",
        ));
    }
    let generations = generations?;

    for (index, sent) in bench.sent.iter().enumerate() {
        let sent = sent.load(SeqCst);
        if sent != GENERATIONS {
            return Err(ex.fail(
                format!(
                    "cell ({}, {}) was sent to the workers {sent} times in {GENERATIONS} \
                     generations; every cell goes exactly once per generation",
                    index / width,
                    index % width
                ),
                "send one job per cell of the grid, and take one answer per job",
            ));
        }
    }
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
                "answers arrive in any order: place each at the (y, x) it carries",
            ));
        }
    }
    let peak = bench.probe.peak();
    ex.ensure(
        peak == WORKERS,
        || {
            format!(
                "your coordinator kept at most {peak} of {WORKERS} workers busy at once; the \
                 pipeline's point is that all of them wait on I/O together"
            )
        },
        "keep sending while earlier jobs are being worked on; waiting for each answer before \
         the next send makes the pipeline serial",
    )
}

#[test]
fn exercise_58_1_coordinator() {
    verdict(check_coordinator(coordinator::simulate_pipeline));
}

const EX_58_2: Exercise = Exercise::new("58.2", "bw58-refactor/exercises/2_worker.rs");

/// The learner's `game_logic_thread`.
type Worker = fn(CellIo, Receiver<worker::Job>, Sender<worker::Done>);

/// Exercise 58.2's check: the glider's cells, three times, through one
/// worker; first with an I/O error at (1, 4), then with a panic at (2, 3).
fn check_worker(game_logic_thread: Worker) -> Result<(), String> {
    check_worker_with(game_logic_thread, Fault::error_at(1, 4))?;
    check_worker_with(game_logic_thread, Fault::panic_at(2, 3))
}

fn check_worker_with(game_logic_thread: Worker, fault: Fault) -> Result<(), String> {
    const ROUNDS: usize = 3;
    let ex = EX_58_2;
    let grid = Grid::glider();
    let total = ROUNDS * grid.len();
    let (jobs_tx, jobs_rx) = unbounded();
    let (results_tx, results_rx) = unbounded();
    let mut expected = HashMap::new();
    for _ in 0..ROUNDS {
        for (y, x, state) in grid.cells() {
            let neighbors = count_neighbors(y, x, |y, x| grid.get(y, x));
            jobs_tx
                .send((y, x, state, neighbors))
                .expect("the check holds the receiver");
            expected.insert((y, x), game_logic(state, neighbors));
        }
    }
    // Closed before the worker starts: it must drain the queue, then return.
    drop(jobs_tx);
    let io = CellIo::none().with_fault(fault);
    let outcome = ex.run(
        "your worker, given a closed channel of jobs,",
        STUCK,
        move || catching(|| game_logic_thread(io, jobs_rx, results_tx)),
    )?;
    let answers: Vec<worker::Done> = results_rx.try_iter().collect();
    if let Err(message) = outcome {
        return Err(ex.fail(
            format!(
                "your worker died on a cell's panic ({message}); {} of the {total} jobs got no \
                 answer, and a coordinator would wait for them forever",
                total.saturating_sub(answers.len())
            ),
            "catch the panic around `io.game_logic` (`catch_unwind`) and send it back as \
             Err(CellError::Panicked(message)); the thread must outlive its cells",
        ));
    }

    let mut counts: HashMap<(usize, usize), usize> = HashMap::new();
    for &(y, x, _) in &answers {
        *counts.entry((y, x)).or_default() += 1;
    }
    for (y, x) in grid.positions() {
        let answered = counts.get(&(y, x)).copied().unwrap_or(0);
        if answered == ROUNDS {
            continue;
        }
        return Err(if answered < ROUNDS && (y, x) == (fault.y, fault.x) {
            ex.fail(
                format!(
                    "cell ({y}, {x}) failed {ROUNDS} times and got {answered} answers; the \
                     coordinator waits for one answer per job, so it would wait forever and \
                     never learn which cell failed"
                ),
                "a failure is an answer too: send (y, x, Err(error))",
            )
        } else {
            ex.fail(
                format!(
                    "cell ({y}, {x}) was sent {ROUNDS} times and got {answered} answers; every \
                     job gets exactly one"
                ),
                "send one answer for each job you take, no more and no fewer",
            )
        });
    }
    for (y, x, result) in &answers {
        let (y, x) = (*y, *x);
        if (y, x) != (fault.y, fault.x) {
            let want = expected[&(y, x)];
            ex.ensure(
                matches!(result, Ok(state) if *state == want),
                || format!("cell ({y}, {x}) was answered {result:?}; its next state is {want:?}"),
                "answer `io.game_logic(y, x, state, neighbors)`'s own result",
            )?;
            continue;
        }
        match (fault.kind, result) {
            (FaultKind::Error, Err(CellError::Io(_))) => {}
            (FaultKind::Panic, Err(CellError::Panicked(message)))
                if message.contains("injected panic") => {}
            (FaultKind::Panic, Err(CellError::Panicked(message))) => {
                return Err(ex.fail(
                    format!(
                        "the panic of cell ({y}, {x}) came back as {message:?}, without the \
                         panic's own message"
                    ),
                    "take the message from the payload with `bw56_life::io::panic_message`",
                ));
            }
            (_, result) => {
                return Err(ex.fail(
                    format!(
                        "cell ({y}, {x}), whose game_logic failed with {:?}, was answered \
                         {result:?}",
                        fault.kind
                    ),
                    "an I/O error goes back as Err(CellError::Io(error)), a panic as \
                     Err(CellError::Panicked(message))",
                ));
            }
        }
    }
    Ok(())
}

#[test]
fn exercise_58_2_worker() {
    verdict(check_worker(worker::game_logic_thread));
}

/// Wrong answers the checks must reject, each with the words that point to
/// its fix.
#[cfg(not(feature = "exercises"))]
#[allow(unreachable_pub)]
mod mistakes {
    use super::*;
    use course_support::exercise::rejected;

    #[path = "2_dies_on_a_panic.rs"]
    mod dies_on_a_panic;
    #[path = "1_sends_everything_first.rs"]
    mod sends_everything_first;
    #[path = "2_skips_failed_cells.rs"]
    mod skips_failed_cells;
    #[path = "1_waits_for_each_answer.rs"]
    mod waits_for_each_answer;

    #[test]
    fn mistake_58_1_sends_everything_first() {
        rejected(
            check_coordinator(sends_everything_first::simulate_pipeline),
            "a deadlock",
        );
    }

    #[test]
    fn mistake_58_1_waits_for_each_answer() {
        rejected(
            check_coordinator(waits_for_each_answer::simulate_pipeline),
            "kept at most 1 of 4 workers busy",
        );
    }

    #[test]
    fn mistake_58_2_dies_on_a_panic() {
        rejected(
            check_worker(dies_on_a_panic::game_logic_thread),
            "your worker died",
        );
    }

    #[test]
    fn mistake_58_2_skips_failed_cells() {
        rejected(
            check_worker(skips_failed_cells::game_logic_thread),
            "failed 3 times and got 0 answers",
        );
    }
}
