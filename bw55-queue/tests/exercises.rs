//! The checks of this lesson's exercises.
//!
//! By default they run against the reference answers in `solutions/`, so
//! `cargo test --workspace` proves the checks pass on a right answer; with
//! `--features exercises` they run against your files in `exercises/`:
//!
//! ```text
//! cargo test -p bw55-queue --features exercises --test exercises
//! ```
//!
//! Each catalogued mistake in `tests/mistakes/` must be rejected by its
//! exercise's check, with the words a learner would need; the `mistake_*`
//! tests prove it (without the feature only).

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, OnceLock, mpsc};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use bw55_queue::work::{self, Receipt, Stages, check_receipts, process};
use course_support::exercise::{Exercise, OverlapProbe, panic_text, verdict, wait_until};
use crossbeam_channel::{Receiver, Sender, bounded};

#[cfg_attr(
    feature = "exercises",
    path = "../exercises/1_stage_workers.rs",
    allow(clippy::todo, unused_variables)
)]
#[cfg_attr(not(feature = "exercises"), path = "../solutions/1_stage_workers.rs")]
#[allow(unreachable_pub)]
mod stage_workers;

#[cfg_attr(
    feature = "exercises",
    path = "../exercises/2_pipeline_of_one.rs",
    allow(clippy::todo, unused_variables)
)]
#[cfg_attr(not(feature = "exercises"), path = "../solutions/2_pipeline_of_one.rs")]
#[allow(unreachable_pub)]
mod pipeline_of_one;

use stage_workers::Work;

/// Long enough for any of these runs on a busy machine; only a stuck answer
/// reaches it.
const STUCK: Duration = Duration::from_secs(10);

/// How long an overlap probe or a held stage waits for what it looks for
/// before it lets the work go on.
const WINDOW: Duration = Duration::from_millis(500);

const EX_55_1: Exercise = Exercise::new("55.1", "bw55-queue/exercises/1_stage_workers.rs");

/// The learner's `start_stage`, for ids in and receipts out.
type StartStage =
    fn(usize, Receiver<u64>, Sender<Receipt>, Work<u64, Receipt>) -> Vec<JoinHandle<()>>;

/// Exercise 55.1's check: one stage between two channels of one item, run
/// three ways.
fn check_stage_workers(start: StartStage) -> Result<(), String> {
    one_worker_keeps_order(start)?;
    three_workers_work_at_once(start)?;
    stops_when_the_next_stage_goes(start)
}

/// One worker, 20 items in two batches with a pause between them: every item
/// comes out once, in order, and the stage ends when its input does.
fn one_worker_keeps_order(start: StartStage) -> Result<(), String> {
    const ITEMS: u64 = 20;
    let ex = EX_55_1;
    let (ids_tx, ids_rx) = bounded::<u64>(1);
    let (receipts_tx, receipts_rx) = bounded::<Receipt>(1);
    let worked = Arc::new(AtomicUsize::new(0));
    let work: Work<u64, Receipt> = {
        let worked = Arc::clone(&worked);
        Arc::new(move |id| {
            worked.fetch_add(1, SeqCst);
            process(id)
        })
    };
    let workers = ex.run("start_stage", STUCK, move || {
        start(1, ids_rx, receipts_tx, work)
    })?;
    stage_size(ex, &workers, 1)?;
    let collector = thread::spawn(move || receipts_rx.iter().collect::<Vec<_>>());

    feed(&ids_tx, 0..ITEMS / 2);
    wait_until(STUCK, || {
        worked.load(SeqCst) >= (ITEMS / 2) as usize || all_finished(&workers)
    });
    // A pause with an empty input, then the second batch, then the close.
    wait_until(WINDOW, || all_finished(&workers));
    feed(&ids_tx, ITEMS / 2..ITEMS);
    drop(ids_tx);

    let receipts = output_of(ex, collector)?;
    join_workers(ex, workers, "after its input was closed")?;
    if receipts.len() < ITEMS as usize {
        return Err(ex.fail(
            format!(
                "your stage passed on {} of {ITEMS} items; the others were sent while its \
                 input was empty, and never came out",
                receipts.len()
            ),
            "a worker must wait on the blocking `recv()` (or `for item in input.iter()`) \
             until it fails; an empty input (`try_recv`'s `Empty`) only means \"not yet\"",
        ));
    }
    exactly_once(ex, &receipts, ITEMS)?;
    let ids: Vec<u64> = receipts.iter().map(|r| r.id).collect();
    ex.ensure(
        ids.iter().copied().eq(0..ITEMS),
        || format!("with one worker the items came out in the order {ids:?}; one worker must keep the input's order"),
        "each worker finishes and sends one item before it takes the next",
    )
}

/// Three workers and a probe holding every item until four are in flight (or
/// the window ends): a stage of three shows exactly three.
fn three_workers_work_at_once(start: StartStage) -> Result<(), String> {
    const WORKERS: usize = 3;
    const ITEMS: u64 = 30;
    let ex = EX_55_1;
    let (ids_tx, ids_rx) = bounded::<u64>(1);
    let (receipts_tx, receipts_rx) = bounded::<Receipt>(1);
    let probe = Arc::new(OverlapProbe::new(WORKERS + 1, WINDOW));
    let work: Work<u64, Receipt> = {
        let probe = Arc::clone(&probe);
        Arc::new(move |id| {
            probe.hold();
            process(id)
        })
    };
    let workers = ex.run("start_stage", STUCK, move || {
        start(WORKERS, ids_rx, receipts_tx, work)
    })?;
    stage_size(ex, &workers, WORKERS)?;
    let collector = thread::spawn(move || receipts_rx.iter().collect::<Vec<_>>());
    // The feeder ends, and drops the input's only sender, after the last id.
    let feeder = thread::spawn(move || feed(&ids_tx, 0..ITEMS));

    let receipts = output_of(ex, collector)?;
    feeder
        .join()
        .map_err(|_| ex.fail("the check's feeder panicked", "run the check again"))?;
    join_workers(ex, workers, "after its input was closed")?;
    exactly_once(ex, &receipts, ITEMS)?;
    let peak = probe.peak();
    ex.ensure(
        peak <= WORKERS,
        || format!("your stage worked on {peak} items at once; a stage of {WORKERS} workers must never work on more than {WORKERS}"),
        "work on each item on the worker that took it; a thread per item removes the bound",
    )?;
    ex.ensure(
        peak == WORKERS,
        || format!("your stage worked on at most {peak} item(s) at once; its {WORKERS} workers should work on {WORKERS}"),
        "start every worker before returning, each with its own clone of the input's `Receiver`: \
         they all take from the same channel",
    )
}

/// The next stage takes three receipts and goes away: the stage must stop
/// taking items, without a panic, so the one before it stops too.
fn stops_when_the_next_stage_goes(start: StartStage) -> Result<(), String> {
    const OFFERED: u64 = 1000;
    const RECEIVED: usize = 3;
    // Three received, one in the output's buffer, one held by each of the two
    // workers, one in the input's buffer: 7 at most; 20 leaves room.
    const AT_MOST: usize = 20;
    let ex = EX_55_1;
    let (ids_tx, ids_rx) = bounded::<u64>(1);
    let (receipts_tx, receipts_rx) = bounded::<Receipt>(1);
    let workers = ex.run("start_stage", STUCK, move || {
        start(2, ids_rx, receipts_tx, Arc::new(process))
    })?;
    stage_size(ex, &workers, 2)?;
    let feeder = thread::spawn(move || feed(&ids_tx, 0..OFFERED));
    for received in 0..RECEIVED {
        if receipts_rx.recv_timeout(STUCK).is_err() {
            return Err(ex.fail(
                format!("your stage passed on {received} items and then nothing for 10 s"),
                "each worker sends `work(item)` to the output for every item it takes",
            ));
        }
    }
    drop(receipts_rx);

    let sent = match finished_within(STUCK, feeder) {
        Some(Ok(sent)) => sent,
        Some(Err(_)) => return Err(ex.fail("the check's feeder panicked", "run the check again")),
        None => {
            return Err(ex.fail(
                "after the next stage went away, your stage neither took more items nor let \
                 go of its input for 10 s",
                "when `send` returns `Err`, stop the worker and let it drop its `Receiver`",
            ));
        }
    };
    join_workers(ex, workers, "after the next stage went away")?;
    ex.ensure(
        sent <= AT_MOST,
        || {
            format!(
                "your stage kept taking items after the next stage had gone: it took {sent} of \
                 the {OFFERED} offered, though only {RECEIVED} were received"
            )
        },
        "`send` returns `Err` once nobody receives from the output: stop the worker then, so \
         that the stage before sees its own sends fail and stops too",
    )
}

/// Sends `ids` until every receiver is gone; returns how many were sent.
fn feed(ids_tx: &Sender<u64>, ids: Range<u64>) -> usize {
    let mut sent = 0;
    for id in ids {
        // An error means the stage has let go of its input, or is stuck:
        // either way, what was sent so far is the answer.
        if ids_tx.send_timeout(id, STUCK).is_err() {
            break;
        }
        sent += 1;
    }
    sent
}

fn stage_size(ex: Exercise, workers: &[JoinHandle<()>], size: usize) -> Result<(), String> {
    ex.ensure(
        workers.len() == size,
        || {
            format!(
                "start_stage returned {} threads; a stage of {size} workers has exactly {size}",
                workers.len()
            )
        },
        "start one thread per worker and return every handle",
    )
}

fn all_finished(workers: &[JoinHandle<()>]) -> bool {
    workers.iter().all(JoinHandle::is_finished)
}

/// The receipts the next stage collected, once the stage's output has closed.
fn output_of(ex: Exercise, collector: JoinHandle<Vec<Receipt>>) -> Result<Vec<Receipt>, String> {
    match finished_within(STUCK, collector) {
        Some(Ok(receipts)) => Ok(receipts),
        Some(Err(_)) => Err(ex.fail("the check's collector panicked", "run the check again")),
        None => Err(ex.fail(
            "your stage's output did not close within 10 s of its input closing: the next \
             stage would wait for ever",
            "a channel closes when its last `Sender` is dropped; each worker's clone goes when \
             the worker returns, so keep no other",
        )),
    }
}

/// Joins every worker, naming a panic or a worker that does not end.
fn join_workers(ex: Exercise, workers: Vec<JoinHandle<()>>, when: &str) -> Result<(), String> {
    if !wait_until(STUCK, || all_finished(&workers)) {
        let running = workers.iter().filter(|w| !w.is_finished()).count();
        return Err(ex.fail(
            format!("{running} of your workers were still running 10 s {when}"),
            "a worker returns when `recv()` fails (input closed and empty) or when `send` \
             fails (nobody receives)",
        ));
    }
    for worker in workers {
        if let Err(payload) = worker.join() {
            return Err(ex.fail(
                format!("a worker panicked {when}: {}", panic_text(payload.as_ref())),
                "`send` returns `Err` once nobody receives from the output: stop the worker \
                 (`break`) instead of unwrapping it",
            ));
        }
    }
    Ok(())
}

/// `handle`'s result if its thread ends within `limit`.
fn finished_within<T>(limit: Duration, handle: JoinHandle<T>) -> Option<thread::Result<T>> {
    wait_until(limit, || handle.is_finished()).then(|| handle.join())
}

fn exactly_once(ex: Exercise, receipts: &[Receipt], items: u64) -> Result<(), String> {
    check_receipts(receipts, items).map_err(|problem| {
        ex.fail(
            format!("{problem}; every item must come out exactly once"),
            "send exactly one result for each item taken",
        )
    })
}

#[test]
fn exercise_55_1_stage_workers() {
    verdict(check_stage_workers(stage_workers::start_stage));
}

const EX_55_2: Exercise = Exercise::new("55.2", "bw55-queue/exercises/2_pipeline_of_one.rs");

/// The learner's `run_pipeline`.
type RunPipeline = fn(u64, [usize; 3], &Stages) -> Vec<Receipt>;

/// How long a pipeline may make no progress at all before it counts as stuck:
/// a working one moves every few microseconds.
const QUIET: Duration = Duration::from_secs(3);

/// Exercise 55.2's check: the book's worker counts and one worker per stage,
/// each on channels of one.
fn check_pipeline_of_one(run: RunPipeline) -> Result<(), String> {
    for (items, workers) in [(100, [1, 1, 1]), (200, [3, 4, 5])] {
        check_one_pipeline(run, items, workers)?;
    }
    Ok(())
}

fn check_one_pipeline(run: RunPipeline, items: u64, workers: [usize; 3]) -> Result<(), String> {
    let ex = EX_55_2;
    let in_stages: usize = workers.iter().sum();
    // Between a download's start and an upload's end: an item in each
    // worker's hands, and one in each of the two channels between stages.
    let bound = in_stages + 2;
    let traffic = Arc::new(Traffic::new(bound));
    let stages = Traffic::stages(&traffic);
    let progress = {
        let traffic = Arc::clone(&traffic);
        move || traffic.progress()
    };
    let receipts = match watch(ex, "run_pipeline", progress, move || {
        run(items, workers, &stages)
    }) {
        Ok(receipts) => receipts,
        Err(Some(message)) => return Err(message),
        Err(None) => {
            let uploaded = traffic.uploads.load(SeqCst);
            return Err(if uploaded as u64 == items {
                ex.fail(
                    format!(
                        "all {items} items were uploaded ({workers:?} workers), but run_pipeline \
                         never returned: the receipts' channel never ended"
                    ),
                    "a channel ends only when every `Sender` of it has been dropped — also the \
                     one you created before cloning it into the workers: drop it once they have \
                     theirs",
                )
            } else {
                ex.fail(
                    format!(
                        "your pipeline ({workers:?} workers, channels of one) stalled after \
                         {uploaded} of {items} uploads and made no progress for {} s: a deadlock",
                        QUIET.as_secs()
                    ),
                    "on a channel of one, a send waits for a receiver: if the thread that feeds \
                     the ids is also the one that collects the receipts, it waits for room that \
                     only its collecting would make. Feed from a thread of its own",
                )
            });
        }
    };
    check_receipts(&receipts, items).map_err(|problem| {
        ex.fail(
            format!("{problem} ({workers:?} workers); every id must come back exactly once"),
            "each stage sends one result for each item it takes; collect until the receipts' \
             channel ends",
        )
    })?;
    let ahead = traffic.max_ahead.load(SeqCst);
    ex.ensure(
        ahead <= bound,
        || {
            format!(
                "downloads got {ahead} items ahead of uploads ({workers:?} workers); on channels \
                 of one at most {bound} can be between them (the {in_stages} workers, plus one \
                 item in each of the 2 channels between stages)"
            )
        },
        "make every channel `bounded(1)`: a full channel makes its sender wait until the next \
         stage takes an item — that wait is the backpressure",
    )
}

/// What the check's stage functions have seen.
#[derive(Debug)]
struct Traffic {
    /// The most items that may be between a download and an upload.
    bound: usize,
    downloads: AtomicUsize,
    resizes: AtomicUsize,
    uploads: AtomicUsize,
    /// The most downloads started, at any download's start, minus the
    /// uploads finished by then.
    max_ahead: AtomicUsize,
    first_upload: OnceLock<Instant>,
}

impl Traffic {
    fn new(bound: usize) -> Self {
        Self {
            bound,
            downloads: AtomicUsize::new(0),
            resizes: AtomicUsize::new(0),
            uploads: AtomicUsize::new(0),
            max_ahead: AtomicUsize::new(0),
            first_upload: OnceLock::new(),
        }
    }

    /// Stage calls made so far: if this stops changing, nothing moves.
    fn progress(&self) -> usize {
        self.downloads.load(SeqCst) + self.resizes.load(SeqCst) + self.uploads.load(SeqCst)
    }

    /// The lesson's stages, counted. Uploads are held at first — until the
    /// downloads have got further ahead than the bound allows, or the window
    /// has passed — so a pipeline that lets them run ahead always shows it.
    fn stages(traffic: &Arc<Self>) -> Stages {
        let (d, r, u) = (
            Arc::clone(traffic),
            Arc::clone(traffic),
            Arc::clone(traffic),
        );
        Stages {
            download: Box::new(move |id| {
                let started = d.downloads.fetch_add(1, SeqCst) + 1;
                let ahead = started.saturating_sub(d.uploads.load(SeqCst));
                d.max_ahead.fetch_max(ahead, SeqCst);
                work::download(id)
            }),
            resize: Box::new(move |image| {
                let thumbnail = work::resize(image);
                r.resizes.fetch_add(1, SeqCst);
                thumbnail
            }),
            upload: Box::new(move |thumbnail| {
                let first = *u.first_upload.get_or_init(Instant::now);
                while u.max_ahead.load(SeqCst) <= u.bound && first.elapsed() < WINDOW {
                    thread::sleep(Duration::from_millis(1));
                }
                let receipt = work::upload(thumbnail);
                u.uploads.fetch_add(1, SeqCst);
                receipt
            }),
        }
    }
}

/// Runs the learner's `f` like [`Exercise::run`], but judges "stuck" by
/// progress rather than by a fixed limit: `Err(None)` once `progress` has
/// not changed for [`QUIET`], `Err(Some(message))` for a stub or a panic.
fn watch<T: Send + 'static>(
    ex: Exercise,
    what: &'static str,
    progress: impl Fn() -> usize,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Option<String>> {
    let (done_tx, done_rx) = mpsc::channel();
    thread::spawn(move || {
        // The hour is never waited for: this check gives up after QUIET
        // without progress, and the test process ends with the tests.
        let _ = done_tx.send(ex.run(what, Duration::from_secs(3600), f));
    });
    let (mut seen, mut since) = (progress(), Instant::now());
    loop {
        match done_rx.recv_timeout(Duration::from_millis(10)) {
            Ok(outcome) => return outcome.map_err(Some),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(Some(ex.fail(
                    format!("{what} ended without an answer"),
                    "run the check again",
                )));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let now = progress();
                if now != seen {
                    (seen, since) = (now, Instant::now());
                } else if since.elapsed() >= QUIET {
                    return Err(None);
                }
            }
        }
    }
}

#[test]
fn exercise_55_2_pipeline_of_one() {
    verdict(check_pipeline_of_one(pipeline_of_one::run_pipeline));
}

/// Wrong answers the checks must reject, each with the words that point to
/// its fix.
#[cfg(not(feature = "exercises"))]
#[allow(unreachable_pub)]
mod mistakes {
    use super::*;
    use course_support::exercise::rejected;

    #[path = "2_feeds_then_collects.rs"]
    mod feeds_then_collects;
    #[path = "1_ignores_closed_output.rs"]
    mod ignores_closed_output;
    #[path = "2_keeps_a_sender.rs"]
    mod keeps_a_sender;
    #[path = "1_leaves_when_idle.rs"]
    mod leaves_when_idle;
    /// Not a mistake: what the wrong pipelines of 55.2 share.
    #[path = "2_stages.rs"]
    mod stages;
    #[path = "2_unbounded.rs"]
    mod unbounded;
    #[path = "1_unwraps_send.rs"]
    mod unwraps_send;

    #[test]
    fn mistake_55_1_leaves_when_idle() {
        rejected(
            check_stage_workers(leaves_when_idle::start_stage),
            "never came out",
        );
    }

    #[test]
    fn mistake_55_1_unwraps_send() {
        rejected(
            check_stage_workers(unwraps_send::start_stage),
            "a worker panicked after the next stage went away",
        );
    }

    #[test]
    fn mistake_55_1_ignores_closed_output() {
        rejected(
            check_stage_workers(ignores_closed_output::start_stage),
            "kept taking items after the next stage had gone",
        );
    }

    #[test]
    fn mistake_55_2_feeds_then_collects() {
        rejected(
            check_pipeline_of_one(feeds_then_collects::run_pipeline),
            "a deadlock",
        );
    }

    #[test]
    fn mistake_55_2_keeps_a_sender() {
        rejected(
            check_pipeline_of_one(keeps_a_sender::run_pipeline),
            "never returned: the receipts' channel never ended",
        );
    }

    #[test]
    fn mistake_55_2_unbounded() {
        rejected(
            check_pipeline_of_one(unbounded::run_pipeline),
            "ahead of uploads",
        );
    }
}
