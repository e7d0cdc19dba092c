//! The narrated demo of item 64: gcd four ways, then a CPU-bound Life on rayon.

use std::time::Duration;

use anyhow::{Context, ensure};
use bw56_life::cli::{self, Defaults, LifeArgs};
use bw56_life::measure::{Run, check_agree, measure};
use bw56_life::{CellIo, Serial, Strategy};
use bw64_parallel::{
    Executor, NUMBERS, ProcessPool, ProcessPoolExecutor, RayonLife, ThreadPoolExecutor, gcd_euclid,
    rayon_pool, serial, std_threads,
};
use course_support::timeline::Lanes;
use course_support::{best_of, fmt_duration, timed};

/// How many times each gcd figure is measured (the best counts).
const RUNS: usize = 3;

/// The flag that turns this binary into a process-pool worker.
const WORKER_FLAG: &str = "--gcd-worker";

#[derive(clap::Parser)]
#[command(about = "Item 64: true parallelism — threads, rayon and a process pool")]
struct Cli {
    #[command(flatten)]
    life: LifeArgs,

    /// Thread (and process) counts to measure, comma-separated; default 1 and all cores.
    #[arg(long, value_delimiter = ',', value_parser = clap::value_parser!(u16).range(1..=256))]
    threads: Vec<u16>,

    /// Run as a process-pool worker: answer `a b` lines on stdin with gcd lines.
    #[arg(long = "gcd-worker", hide = true)]
    gcd_worker: bool,
}

fn main() -> anyhow::Result<()> {
    let cli: Cli = cli::parse(&Defaults {
        height: 2048,
        width: 2048,
        generations: 2,
        seed: Some(64),
        latency: "0",
        strategies: &["serial", "rayon"],
    });
    if cli.gcd_worker {
        let stdin = std::io::stdin().lock();
        let stdout = std::io::stdout().lock();
        return bw64_parallel::serve_worker(stdin, stdout).context("gcd worker failed");
    }
    // Before any work, so a trace file that cannot be written stops the run.
    let tracing = cli.life.trace.install(Lanes::Threads)?;
    let mut counts: Vec<usize> = cli.threads.iter().map(|&n| usize::from(n)).collect();
    if counts.is_empty() {
        counts = vec![1, course_support::cores()];
    }
    counts.dedup();

    course_support::banner("bw64-parallel: true parallelism with threads, rayon and processes");
    if cli.life.strategy.is_none() {
        gcd_section(&counts)?;
    }
    life_section(&cli.life, &counts)?;
    tracing.close();
    Ok(())
}

/// One row of a speedup table.
struct Timing {
    way: String,
    count: usize,
    elapsed: Duration,
}

fn print_speedups(rows: &[Timing], baseline: Duration) {
    println!(
        "  {:<22} {:>7} {:>11} {:>8} {:>11}",
        "way", "threads", "time", "speedup", "efficiency"
    );
    for row in rows {
        let speedup = baseline.as_secs_f64() / row.elapsed.as_secs_f64();
        println!(
            "  {:<22} {:>7} {:>11} {:>7.2}x {:>10.0}%",
            row.way,
            row.count,
            fmt_duration(row.elapsed),
            speedup,
            100.0 * speedup / row.count as f64
        );
    }
}

fn gcd_section(counts: &[usize]) -> anyhow::Result<()> {
    println!("\n[1/2] gcd of the book's ten pairs by slow downward search");
    let expected: Vec<u64> = NUMBERS.iter().copied().map(gcd_euclid).collect();
    let exe = std::env::current_exe().context("finding this program to start workers")?;

    // Each figure is the best of a few runs: the machine may be busy.
    let (results, serial_time) = best_of(RUNS, || serial(&NUMBERS));
    ensure!(
        results == expected,
        "serial gcd disagrees with Euclid: {results:?} vs {expected:?}"
    );
    let mut rows = vec![Timing {
        way: "serial".into(),
        count: 1,
        elapsed: serial_time,
    }];
    for &n in counts {
        let (results, elapsed) = best_of(RUNS, || std_threads(&NUMBERS, n));
        ensure!(
            results == expected,
            "std threads ({n}) disagree: {results:?}"
        );
        rows.push(Timing {
            way: "std threads".into(),
            count: n,
            elapsed,
        });
    }
    for &n in counts {
        let (results, elapsed) = best_of(RUNS, || rayon_pool(&NUMBERS, n));
        let results = results.context("building the rayon pool")?;
        ensure!(results == expected, "rayon ({n}) disagrees: {results:?}");
        rows.push(Timing {
            way: "rayon".into(),
            count: n,
            elapsed,
        });
    }
    let mut startup = Vec::new();
    for &n in counts {
        // Timed as the book times ProcessPoolExecutor: start, map, shut down.
        let (outcome, elapsed) = best_of(RUNS, || -> anyhow::Result<(Vec<u64>, Duration, u64)> {
            let (pool, started) = timed(|| ProcessPool::start(&exe, &[WORKER_FLAG], n));
            let mut pool = pool?;
            let results = pool.map(&NUMBERS)?;
            let bytes = pool.bytes_copied();
            pool.shutdown()?;
            Ok((results, started, bytes))
        });
        let (results, started, bytes) = outcome.context("process pool")?;
        ensure!(
            results == expected,
            "process pool ({n}) disagrees: {results:?}"
        );
        rows.push(Timing {
            way: "process pool".into(),
            count: n,
            elapsed,
        });
        startup.push((n, started, bytes));
    }
    println!("ok: every way found the same ten divisors as Euclid's algorithm");
    print_speedups(&rows, serial_time);
    // What the speedup looks like: the same kind of work, a few pairs, drawn
    // from the spans of a serial run and of a run on two threads.
    bw64_parallel::drawing()?.print();
    println!();

    for (n, started, bytes) in startup {
        println!(
            "  process pool of {n}: start-up {} (spawn + handshake), {bytes} bytes copied through pipes",
            fmt_duration(started)
        );
    }
    let (process, thread) = (process_round_trip()?, thread_round_trip()?);
    println!(
        "  copying cost, one tiny job sent and answered: {} through a worker process, {} through a worker thread",
        fmt_duration(process),
        fmt_duration(thread)
    );
    println!(
        "  Python, the book's code on this machine: serial 0.74 s, threads 0.93 s, process pool of 2 0.56 s"
    );
    one_interface(&exe, &expected)
}

/// The book's closing point: threads and processes behind one interface, so
/// switching is one line. `divisors` is written once, against `Executor`.
fn one_interface(exe: &std::path::Path, expected: &[u64]) -> anyhow::Result<()> {
    fn divisors(executor: &mut impl Executor) -> anyhow::Result<(Vec<u64>, Duration)> {
        let (results, elapsed) = timed(|| executor.map(&NUMBERS));
        Ok((results?, elapsed))
    }
    let workers = course_support::cores();
    println!(
        "  one interface, as concurrent.futures: the same `divisors(&mut executor)`, one line apart"
    );

    let mut executor = ThreadPoolExecutor::new(workers);
    let (with_threads, threads_time) = divisors(&mut executor)?;

    let mut executor = ProcessPoolExecutor::new(workers, exe, &[WORKER_FLAG])?;
    let (with_processes, processes_time) = divisors(&mut executor)?;
    executor.shutdown()?;

    ensure!(
        with_threads == expected && with_processes == expected,
        "the executors disagree: {with_threads:?} vs {with_processes:?}"
    );
    println!(
        "    let mut executor = ThreadPoolExecutor::new({workers});                          {:>10}",
        fmt_duration(threads_time)
    );
    println!(
        "    let mut executor = ProcessPoolExecutor::new({workers}, &exe, &[WORKER_FLAG])?;  {:>10}",
        fmt_duration(processes_time)
    );
    println!(
        "  ok: both found the same ten divisors (the process pool's time excludes its start-up)"
    );
    Ok(())
}

/// The cost of one job through a worker process, with no work in it: 20,000
/// pairs whose gcd takes a few nanoseconds, through one worker.
fn process_round_trip() -> anyhow::Result<Duration> {
    const JOBS: u32 = 20_000;
    let exe = std::env::current_exe()?;
    let mut pool = ProcessPool::start(&exe, &[WORKER_FLAG], 1)?;
    let pairs = vec![(4, 6); JOBS as usize];
    let (results, elapsed) = timed(|| pool.map(&pairs));
    ensure!(
        results?.iter().all(|&g| g == 2),
        "tiny jobs gave wrong answers"
    );
    pool.shutdown()?;
    Ok(elapsed / JOBS)
}

/// The same 20,000 tiny jobs through one worker *thread* over channels: what
/// the round trip costs without processes, pipes and text.
fn thread_round_trip() -> anyhow::Result<Duration> {
    const JOBS: u32 = 20_000;
    let (jobs_tx, jobs_rx) = std::sync::mpsc::channel::<(u64, u64)>();
    let (answers_tx, answers_rx) = std::sync::mpsc::channel();
    let worker = std::thread::spawn(move || {
        for pair in jobs_rx {
            if answers_tx.send(bw64_parallel::gcd(pair)).is_err() {
                break;
            }
        }
    });
    let (all_right, elapsed) =
        timed(|| (0..JOBS).all(|_| jobs_tx.send((4, 6)).is_ok() && answers_rx.recv() == Ok(2)));
    drop(jobs_tx);
    worker
        .join()
        .map_err(|_| anyhow::anyhow!("the worker thread panicked"))?;
    ensure!(all_right, "tiny jobs gave wrong answers");
    Ok(elapsed / JOBS)
}

fn life_section(args: &LifeArgs, counts: &[usize]) -> anyhow::Result<()> {
    let grid = args.grid()?;
    let io = CellIo::new(args.latency);
    println!(
        "\n[2/2] the Game of Life made CPU-bound: {}",
        args.describe()
    );
    let mut strategies: Vec<(usize, Box<dyn Strategy>)> = Vec::new();
    if args.runs("serial") {
        strategies.push((1, Box::new(Serial)));
    }
    if args.runs("rayon") {
        for &n in counts {
            strategies.push((n, Box::new(RayonLife::new(n)?)));
        }
    }
    let mut runs: Vec<(usize, Run)> = Vec::new();
    for (n, mut strategy) in strategies {
        let run = measure(strategy.as_mut(), &grid, args.generations, &io)
            .with_context(|| format!("{} failed", strategy.name()))?;
        runs.push((n, run));
    }
    let plain: Vec<Run> = runs.iter().map(|(_, r)| r.clone()).collect();
    check_agree(&plain)?;
    println!(
        "ok: {} produced identical grids",
        plain
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    for (_, run) in &runs {
        println!("{}", cli::final_line(&run.grid));
    }
    let baseline = runs.first().map(|(_, r)| r.elapsed).unwrap_or_default();
    let rows: Vec<Timing> = runs
        .iter()
        .map(|(n, r)| Timing {
            way: r.name.clone(),
            count: *n,
            elapsed: r.elapsed,
        })
        .collect();
    print_speedups(&rows, baseline);
    println!(
        "takeaway: without a GIL, threads are the parallelism: split the work (rayon, scoped threads) and\n          \
         every core computes. Processes add start-up and copying, and pay off only for isolation."
    );
    Ok(())
}
