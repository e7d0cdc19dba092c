//! The checks of this lesson's exercises.
//!
//! By default they run against the reference answers in `solutions/`, so
//! `cargo test --workspace` proves the checks pass on a right answer; with
//! `--features exercises` they run against your files in `exercises/`:
//!
//! ```text
//! cargo test -p bw64-parallel --features exercises --test exercises
//! ```
//!
//! Each catalogued mistake in `tests/mistakes/` must be rejected by its
//! exercise's check, with the words a learner would need; the `mistake_*`
//! tests prove it (without the feature only).

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bw64_parallel::{
    Executor, PoolError, ProcessPoolExecutor, ThreadPoolExecutor, gcd, gcd_euclid,
};
use course_support::exercise::{Exercise, OverlapProbe, verdict};

#[cfg_attr(
    feature = "exercises",
    path = "../exercises/1_gcd_table.rs",
    allow(clippy::todo, unused_variables)
)]
#[cfg_attr(not(feature = "exercises"), path = "../solutions/1_gcd_table.rs")]
#[allow(unreachable_pub)]
mod gcd_table;

#[cfg_attr(
    feature = "exercises",
    path = "../exercises/2_split_the_work.rs",
    allow(clippy::todo, unused_variables)
)]
#[cfg_attr(not(feature = "exercises"), path = "../solutions/2_split_the_work.rs")]
#[allow(unreachable_pub)]
mod split_the_work;

/// Long enough for any of these runs on a busy machine; only a stuck answer
/// reaches it.
const STUCK: Duration = Duration::from_secs(10);

const EX_64_1: Exercise = Exercise::new("64.1", "bw64-parallel/exercises/1_gcd_table.rs");

/// The learner's `gcd_table`.
type GcdTable = fn(&mut dyn Executor, &[u64]) -> Result<Vec<Vec<u64>>, PoolError>;

/// Eight distinct numbers with gcds of every size between them (the slow
/// search takes well under a millisecond on each pair).
const TABLE_NUMBERS: [u64; 8] = [360_360, 27_720, 5_040, 1_001, 9_973, 65_536, 30_030, 46_189];

/// An executor that passes every call on and remembers what it was given.
struct Recording<E> {
    inner: E,
    /// The pairs of every `map` call, in call order.
    calls: Vec<Vec<(u64, u64)>>,
}

impl<E: Executor> Executor for Recording<E> {
    fn map(&mut self, pairs: &[(u64, u64)]) -> Result<Vec<u64>, PoolError> {
        self.calls.push(pairs.to_vec());
        self.inner.map(pairs)
    }
}

/// An executor whose worker has crashed.
struct Crashed;

impl Executor for Crashed {
    fn map(&mut self, _pairs: &[(u64, u64)]) -> Result<Vec<u64>, PoolError> {
        Err(PoolError::Protocol {
            index: 1,
            pid: 4242,
            detail: "output closed: the worker exited".to_owned(),
        })
    }
}

/// Runs `gcd_table` on `executor` (named `on` in messages) and checks the
/// table and the calls; returns the executor for its shut-down.
fn table_on<E: Executor + Send + 'static>(
    gcd_table: GcdTable,
    executor: E,
    on: &str,
) -> Result<E, String> {
    let ex = EX_64_1;
    let (table, recording) = ex.run("gcd_table", STUCK, move || {
        let mut recording = Recording {
            inner: executor,
            calls: Vec::new(),
        };
        let table = gcd_table(&mut recording, &TABLE_NUMBERS);
        (table, recording)
    })?;
    let table = table.map_err(|error| {
        ex.fail(
            format!("gcd_table failed on {on}: {error}"),
            "no worker fails in this run; pass the pairs `map` can compute: positive numbers",
        )
    })?;
    let n = TABLE_NUMBERS.len();
    ex.ensure(
        table.len() == n && table.iter().all(|row| row.len() == n),
        || format!("the table on {on} is not {n}x{n}: {} rows", table.len()),
        "one row per number, one cell per number in each row",
    )?;
    for (i, &a) in TABLE_NUMBERS.iter().enumerate() {
        for (j, &b) in TABLE_NUMBERS.iter().enumerate() {
            let expected = gcd_euclid((a, b));
            if table[i][j] != expected {
                return Err(ex.fail(
                    format!(
                        "on {on}, table[{i}][{j}] is {}; the gcd of {a} and {b} is {expected}",
                        table[i][j]
                    ),
                    "`map` answers in the order of the pairs it was given: keep each pair's \
                     position beside it, and fill both (i, j) and (j, i)",
                ));
            }
        }
    }
    let calls = &recording.calls;
    ex.ensure(
        calls.len() == 1,
        || {
            let sizes: Vec<usize> = calls.iter().map(Vec::len).take(5).collect();
            format!(
                "on {on}, your code called map {} times (pairs per call: {sizes:?}...); each call \
                 waits for all its answers, so the workers took turns",
                calls.len()
            )
        },
        "gather every pair first and call `map` once: the executor spreads one batch over \
         all its workers",
    )?;
    let mut sent: HashMap<(u64, u64), usize> = HashMap::new();
    for &(a, b) in &calls[0] {
        *sent.entry((a.min(b), a.max(b))).or_default() += 1;
    }
    let wanted = n * (n - 1) / 2;
    // The first offending pair in the order it was sent, so the message is
    // the same on every run.
    let repeated = calls[0]
        .iter()
        .map(|&(a, b)| (a.min(b), a.max(b)))
        .find(|pair| sent[pair] > 1 || pair.0 == pair.1);
    let missing = TABLE_NUMBERS
        .iter()
        .enumerate()
        .flat_map(|(i, &a)| {
            TABLE_NUMBERS[i + 1..]
                .iter()
                .map(move |&b| (a.min(b), a.max(b)))
        })
        .find(|pair| !sent.contains_key(pair));
    if repeated.is_some() || missing.is_some() {
        let detail = match (repeated, missing) {
            (Some((a, b)), _) if a == b => {
                format!(
                    "({a}, {a}) was sent, though the gcd of a number with itself is that number"
                )
            }
            (Some(pair), _) => format!(
                "the pair of {} and {} went {} times",
                pair.0, pair.1, sent[&pair]
            ),
            (None, Some((a, b))) => format!("the pair of {a} and {b} never went"),
            (None, None) => unreachable!("checked above"),
        };
        return Err(ex.fail(
            format!(
                "on {on}, your code sent {} pairs for the {wanted} pairs of distinct numbers, \
                 which must each go exactly once: {detail}",
                calls[0].len()
            ),
            "the gcd is symmetric and the gcd of a number with itself is that number: send each \
             pair i < j once and fill both cells — every pair sent to a process is copied \
             through its pipes",
        ));
    }
    Ok(recording.inner)
}

/// Exercise 64.1's check: the same function on two threads, then on two
/// worker processes, then on an executor that fails.
fn check_gcd_table(gcd_table: GcdTable) -> Result<(), String> {
    let ex = EX_64_1;
    table_on(
        gcd_table,
        ThreadPoolExecutor::new(2),
        "a ThreadPoolExecutor",
    )?;

    let program = Path::new(env!("CARGO_BIN_EXE_bw64-parallel"));
    let processes = ProcessPoolExecutor::new(2, program, &["--gcd-worker"])
        .map_err(|error| format!("the check cannot start its worker processes: {error}"))?;
    let pids = processes.pids();
    let processes = table_on(gcd_table, processes, "a ProcessPoolExecutor")?;
    processes
        .shutdown()
        .map_err(|error| format!("the check's worker processes failed: {error}"))?;
    // The check's own hygiene: the workers it started were reaped.
    for pid in pids {
        let alive = course_support::testing::process_exists(pid)
            .map_err(|error| format!("cannot ask the system about pid {pid}: {error}"))?;
        if alive {
            return Err(format!("the check left worker process {pid} behind"));
        }
    }

    let outcome = ex.run("gcd_table", STUCK, move || {
        gcd_table(&mut Crashed, &TABLE_NUMBERS).map(|_| ())
    })?;
    match outcome {
        Ok(()) => Err(ex.fail(
            "gcd_table returned a table although the executor's worker crashed",
            "`map` returns a `Result`: pass its error on with `?`",
        )),
        Err(error) => ex.ensure(
            error.to_string().contains("worker 1 (pid 4242)"),
            || format!("gcd_table returned {error}, not the executor's own error"),
            "return the executor's error as it is",
        ),
    }
}

#[test]
fn exercise_64_1_gcd_table() {
    verdict(check_gcd_table(gcd_table::gcd_table));
}

const EX_64_2: Exercise = Exercise::new("64.2", "bw64-parallel/exercises/2_split_the_work.rs");

/// The learner's `parallel_map`.
type ParallelMap = fn(&[(u64, u64)], usize, &(dyn Fn((u64, u64)) -> u64 + Sync)) -> Vec<u64>;

/// Eleven pairs of uneven cost (11 does not divide by 3 threads).
const PAIRS: [(u64, u64); 11] = [
    (360_360, 27_720),
    (1_001, 9_973),
    (65_536, 30_030),
    (46_189, 5_040),
    (99_991, 12_345),
    (123_456, 65_432),
    (7, 5),
    (2_310, 30_030),
    (100_000, 75_000),
    (31_415, 92_653),
    (27_182, 81_828),
];

/// Exercise 64.2's check: 11 pairs on 3 threads, with a `gcd` that counts
/// its calls in flight.
fn check_split_the_work(parallel_map: ParallelMap) -> Result<(), String> {
    const THREADS: usize = 3;
    let ex = EX_64_2;
    // Every call holds until 4 are in flight or 300 ms have passed since the
    // first: code that can run 3 at once shows 3, code that runs more shows 4.
    let probe = Arc::new(OverlapProbe::new(THREADS + 1, Duration::from_millis(300)));
    let calls: Arc<Vec<AtomicUsize>> =
        Arc::new(PAIRS.iter().map(|_| AtomicUsize::new(0)).collect());
    let strangers = Arc::new(Mutex::new(Vec::new()));
    let (results, left_running) = {
        let (probe, calls, strangers) = (probe.clone(), calls.clone(), strangers.clone());
        ex.run("parallel_map", STUCK, move || {
            let counted = |pair: (u64, u64)| {
                match PAIRS.iter().position(|&p| p == pair) {
                    Some(i) => {
                        calls[i].fetch_add(1, SeqCst);
                    }
                    None => strangers.lock().expect("never poisoned").push(pair),
                }
                probe.hold();
                gcd(pair)
            };
            let results = parallel_map(&PAIRS, THREADS, &counted);
            (results, probe.current())
        })?
    };
    let strangers = strangers.lock().expect("every call has returned");
    ex.ensure(
        strangers.is_empty(),
        || format!("gcd was called with pairs that are not in the input: {strangers:?}"),
        "pass `gcd` the pairs themselves",
    )?;
    let counts: Vec<usize> = calls.iter().map(|count| count.load(SeqCst)).collect();
    let never: Vec<usize> = (0..PAIRS.len()).filter(|&i| counts[i] == 0).collect();
    ex.ensure(
        never.is_empty(),
        || format!("pairs {never:?} of {} were never computed", PAIRS.len()),
        "`pairs.len() / threads` rounds down: use `div_ceil`, or let each thread take the next \
         index from a shared `AtomicUsize` until none is left",
    )?;
    if let Some(i) = counts.iter().position(|&count| count > 1) {
        return Err(ex.fail(
            format!(
                "pair {i} was computed {} times; every pair exactly once",
                counts[i]
            ),
            "give each index to one thread only: `fetch_add` hands out each value once",
        ));
    }
    ex.ensure(
        left_running == 0,
        || format!("{left_running} gcd calls were still running when parallel_map returned"),
        "join every thread before returning (`thread::scope` does it for you)",
    )?;
    for (i, (&pair, &got)) in PAIRS.iter().zip(&results).enumerate() {
        let expected = gcd_euclid(pair);
        if got != expected {
            return Err(ex.fail(
                format!("result {i} is {got}; the gcd of {pair:?} is {expected}"),
                "return the results in the order of the pairs: keep each result's index beside it",
            ));
        }
    }
    ex.ensure(
        results.len() == PAIRS.len(),
        || {
            format!(
                "parallel_map returned {} results for {} pairs",
                results.len(),
                PAIRS.len()
            )
        },
        "one result per pair",
    )?;
    let peak = probe.peak();
    ex.ensure(
        peak <= THREADS,
        || {
            format!(
                "your code computed {peak} gcds at once with threads = {THREADS}; it must never \
                 run more than {THREADS}"
            )
        },
        "start `threads` threads that each compute many pairs, not a thread per pair",
    )?;
    ex.ensure(
        peak == THREADS,
        || {
            format!(
                "your code computed at most {peak} gcd at a time; {THREADS} threads should \
                 compute {THREADS} at once"
            )
        },
        "call `gcd` outside any lock: `results.lock().push(gcd(..))` takes the lock before \
         `gcd` runs, so the threads take turns; return results through `join` instead",
    )
}

#[test]
fn exercise_64_2_split_the_work() {
    verdict(check_split_the_work(split_the_work::parallel_map));
}

/// Wrong answers the checks must reject, each with the words that point to
/// its fix.
#[cfg(not(feature = "exercises"))]
#[allow(unreachable_pub)]
mod mistakes {
    use super::*;
    use course_support::exercise::rejected;

    #[path = "1_every_ordered_pair.rs"]
    mod every_ordered_pair;
    #[path = "1_one_pair_at_a_time.rs"]
    mod one_pair_at_a_time;

    #[path = "2_drops_the_remainder.rs"]
    mod drops_the_remainder;
    #[path = "2_lock_around_the_work.rs"]
    mod lock_around_the_work;
    #[path = "2_thread_per_pair.rs"]
    mod thread_per_pair;

    #[test]
    fn mistake_64_1_one_pair_at_a_time() {
        rejected(
            check_gcd_table(one_pair_at_a_time::gcd_table),
            "called map 28 times",
        );
    }

    #[test]
    fn mistake_64_1_every_ordered_pair() {
        rejected(
            check_gcd_table(every_ordered_pair::gcd_table),
            "sent 64 pairs for the 28 pairs of distinct numbers, which must each go exactly once",
        );
    }

    #[test]
    fn mistake_64_2_lock_around_the_work() {
        rejected(
            check_split_the_work(lock_around_the_work::parallel_map),
            "at most 1 gcd at a time",
        );
    }

    #[test]
    fn mistake_64_2_drops_the_remainder() {
        rejected(
            check_split_the_work(drops_the_remainder::parallel_map),
            "pairs [9, 10] of 11 were never computed",
        );
    }

    #[test]
    fn mistake_64_2_thread_per_pair() {
        rejected(
            check_split_the_work(thread_per_pair::parallel_map),
            "computed 4 gcds at once with threads = 3",
        );
    }
}
