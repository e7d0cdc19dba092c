//! The narrated demo of item 54: the book's five sensor threads, counting into
//! a racy counter, a locked one, an atomic one and per-thread counters; then a
//! panic inside the lock.

use std::time::Duration;

use anyhow::{Context, bail, ensure};
use bw54_lock::poison::{self, Recovery};
use bw54_lock::{
    AtomicCounter, LockingCounter, Outcome, RacyCounter, count_locally, count_with_threads,
};
use clap::Parser;
use course_support::timeline::{Lanes, TraceArgs};
use course_support::{fmt_duration, timed};

/// The poisoning scenario: a batch of this many readings, of which the one at
/// `POISON_AT` (from 0) panics.
const POISON_BATCH: u64 = 10;
const POISON_AT: u64 = 5;

#[derive(Parser)]
#[command(about = "Item 54: use a lock to prevent data races in threads")]
struct Cli {
    /// Sensor threads counting into one counter (the book uses 5).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=1024))]
    threads: u16,
    /// Increments per thread (the book uses 100000).
    #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    how_many: u64,
    /// Times the racy counter is run, to show its answer changes.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
    racy_runs: u32,
    /// Runs of each exact counter; the table shows the fastest.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=100))]
    repeats: u32,
    #[command(flatten)]
    trace: TraceArgs,
}

/// Every run of one counter: what it counted and how long it took.
struct Runs {
    outcomes: Vec<Outcome>,
    times: Vec<Duration>,
}

impl Runs {
    /// Runs `count` `repeats` times (at least once, as the flags ensure).
    fn measure(repeats: u32, mut count: impl FnMut() -> Outcome) -> Self {
        let (outcomes, times) = (0..repeats).map(|_| timed(&mut count)).unzip();
        Self { outcomes, times }
    }

    /// The fastest run, with what that run counted.
    fn fastest(&self) -> (Outcome, Duration) {
        self.outcomes
            .iter()
            .copied()
            .zip(self.times.iter().copied())
            .min_by_key(|&(_, time)| time)
            .expect("the flags allow no fewer than one run")
    }
}

fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // Before any work, so a trace file that cannot be written stops the run.
    let tracing = cli.trace.install(Lanes::Threads)?;
    let threads = usize::from(cli.threads);
    let how_many = cli.how_many;
    let expected = threads as u64 * how_many;

    course_support::banner("bw54-lock: use a lock to prevent data races in threads");
    println!(
        "threads: {threads} | increments per thread: {how_many} | expected: {expected} | \
         released together by a Barrier"
    );

    println!("\n[1/4] the book's plain Counter, shared mutably: the compiler refuses");
    println!("  six compile_fail examples in src/plain.rs, one mistake each:");
    println!("  E0499 two &mut, E0373 borrow outlives, E0596 &mut through Arc,");
    println!("  E0277 Rc is not Send, E0277 RefCell is not Sync, E0133 static mut needs unsafe");
    println!("  check them: cargo test -p bw54-lock --doc");

    println!("\n[2/4] RacyCounter: an atomic load, then an atomic store (compiles, is Sync)");
    let racy = Runs::measure(cli.racy_runs, || {
        count_with_threads(&RacyCounter::new(), threads, how_many)
    });
    for (run, outcome) in racy.outcomes.iter().enumerate() {
        println!(
            "  run {}: {outcome}   lost {} ({:.1}%)",
            run + 1,
            outcome.lost(),
            percent(outcome.lost(), expected)
        );
    }
    let losing_runs = racy.outcomes.iter().filter(|o| !o.is_exact()).count();
    if losing_runs == 0 {
        // Honest about luck: a race that did not happen is not a race ruled out.
        println!(
            "  no update was lost in {} run(s) this time: a loss needs two threads between the",
            racy.outcomes.len()
        );
        println!(
            "  load and the store at once, and timing decides that (one core, or a busy machine,"
        );
        println!(
            "  makes it rarer). tests/claims/loom.rs proves the losing interleaving exists regardless."
        );
    } else {
        println!(
            "  updates were lost in {losing_runs} of {} run(s); how many is up to the timing.",
            racy.outcomes.len()
        );
        println!(
            "  tests/claims/loom.rs proves the loss by finding the losing interleaving, not by luck."
        );
    }

    println!("\n[3/4] the fixes, same scenario:");
    let locking = Runs::measure(cli.repeats, || {
        count_with_threads(&LockingCounter::new(), threads, how_many)
    });
    let atomic = Runs::measure(cli.repeats, || {
        count_with_threads(&AtomicCounter::new(), threads, how_many)
    });
    let local = Runs::measure(cli.repeats, || count_locally(threads, how_many));
    let fixes = [
        ("LockingCounter (Mutex)", &locking),
        ("AtomicCounter (fetch_add)", &atomic),
        ("local counters, summed", &local),
    ];
    for (name, runs) in fixes {
        println!("  {name:<26} {}", runs.outcomes[0]);
    }
    // Verify before printing any timing: every run of every fix must be exact.
    for (name, runs) in fixes {
        if let Some(wrong) = runs.outcomes.iter().find(|o| !o.is_exact()) {
            bail!("{name} was not exact: {wrong} (expected every run to be exact)");
        }
    }
    println!(
        "ok: all {} runs of the three fixes counted exactly {expected}",
        3 * cli.repeats
    );

    let rows = [
        ("Mutex", &locking),
        ("fetch_add", &atomic),
        ("local + sum", &local),
        ("racy (wrong)", &racy),
    ];
    let (_, baseline) = locking.fastest();
    println!(
        "\n  cost of {expected} increments from {threads} threads (fastest run of each; baseline: Mutex)"
    );
    println!(
        "  {:<13} {:>10} {:>11} {:>13} {:>9}",
        "counter", "found", "time", "ns/increment", "vs Mutex"
    );
    for (name, runs) in rows {
        let (outcome, time) = runs.fastest();
        println!(
            "  {:<13} {:>10} {:>11} {:>13.2} {:>8.2}x",
            name,
            outcome.found,
            fmt_duration(time),
            time.as_secs_f64() * 1e9 / expected as f64,
            time.as_secs_f64() / baseline.as_secs_f64()
        );
    }
    println!(
        "  (ns/increment is wall time / increments: all threads together, on {} cores)",
        course_support::cores()
    );

    println!("\n[4/4] a panic while holding the lock poisons it:");
    let counter = LockingCounter::new();
    // The default panic hook would print the (expected) panic to stderr;
    // the message is shown below from the join instead.
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let panicked = poison::panic_mid_batch(&counter, POISON_BATCH, POISON_AT);
    std::panic::set_hook(previous_hook);
    let message = panicked.context("the batch was expected to panic, and did not")?;
    let poisoned = counter.is_poisoned();
    let lock_failed = counter.lock().is_err();
    let recovery = poison::recover(&counter);
    let healthy = counter.lock().is_ok();
    // Verify before narrating: the lock was poisoned, the data was reachable
    // through the poison, and clearing it made the lock usable.
    ensure!(
        poisoned
            && lock_failed
            && healthy
            && recovery
                == Recovery {
                    was_poisoned: true,
                    count: POISON_AT
                },
        "poisoning did not behave as expected: poisoned={poisoned}, lock failed={lock_failed}, \
         {recovery:?}, healthy after clear_poison={healthy}"
    );
    println!(
        "  a thread counts a batch of {POISON_BATCH} readings under one lock; reading {POISON_AT} panics: {message:?}"
    );
    println!("  afterwards: is_poisoned() is true, and every lock() returns Err(PoisonError)");
    println!(
        "  PoisonError::into_inner() still reaches the data: count = {} of {POISON_BATCH} (half a batch)",
        recovery.count
    );
    println!("  Mutex::clear_poison() accepts that state: lock() returns Ok again");

    println!(
        "takeaway: a race lives in the gap between a read and a write; close it with a Mutex (the\n          \
         book's Lock) or one fetch_add, or share nothing — and let loom, not luck, prove it."
    );
    tracing.close();
    Ok(())
}
