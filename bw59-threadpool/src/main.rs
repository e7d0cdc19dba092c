//! The narrated demo of item 59: the queue pipeline against a thread pool,
//! then which pool fits which work.

use anyhow::Context;
use bw56_life::cli::{self, Defaults, LifeArgs, WorkersArgs};
use bw56_life::measure::{Run, check_agree, measure, pool_io_limit};
use bw56_life::{CellIo, Grid, Serial, Strategy};
use bw59_threadpool::{PoolStrategy, TokioBlockingStrategy};
use bw64_parallel::RayonLife;
use course_support::fmt_duration;
use course_support::timeline::Lanes;

#[derive(clap::Parser)]
#[command(about = "Item 59: a fixed thread pool for the Game of Life's blocking I/O")]
struct Cli {
    #[command(flatten)]
    life: LifeArgs,

    #[command(flatten)]
    pool: WorkersArgs,
}

fn main() -> anyhow::Result<()> {
    let cli: Cli = cli::parse(&Defaults {
        height: 100,
        width: 100,
        generations: 1,
        seed: Some(1),
        latency: "1ms",
        strategies: &["pipeline", "pool"],
    });
    let args = cli.life;
    let workers = cli.pool.workers;
    // Before any work, so a trace file that cannot be written stops the run.
    let tracing = args.trace.install(Lanes::Threads)?;
    let grid = args.grid()?;
    let io = CellIo::new(args.latency);

    course_support::banner("bw59-threadpool: a fixed pool instead of a thread per cell");
    println!("{} | workers: {workers}", args.describe());
    let limit = pool_io_limit(grid.len(), workers, args.generations, &io);
    println!(
        "limit: ceil({} cells / {workers} workers) x {} x {} generation(s) = {}",
        grid.len(),
        cli::fmt_latency(io.latency()),
        args.generations,
        fmt_duration(limit)
    );

    // (role, what it is, label with its size, the strategy)
    let mut candidates: Vec<(&str, &str, String, Box<dyn Strategy>)> = Vec::new();
    if args.runs("pipeline") {
        let pipeline = bw58_refactor::Pipeline::new(workers);
        candidates.push((
            "before",
            "queue pipeline (item 58)",
            format!("pipeline({workers})"),
            Box::new(pipeline),
        ));
    }
    if args.runs("pool") {
        let pool = PoolStrategy::new(workers).context("starting the pool")?;
        candidates.push((
            "after",
            "thread pool",
            format!("pool({workers})"),
            Box::new(pool),
        ));
    }
    let total = candidates.len() + usize::from(args.strategy.is_none());
    let mut runs = Vec::new();
    for (i, (role, what, label, mut strategy)) in candidates.into_iter().enumerate() {
        println!("\n[{}/{total}] {role}: {what}, {label} ...", i + 1);
        let mut run = measure(strategy.as_mut(), &grid, args.generations, &io)
            .with_context(|| format!("{label} failed"))?;
        run.name = label;
        println!("{}", cli::final_line(&run.grid));
        runs.push(run);
        // Dropping the strategy here shuts its threads down before the next
        // one is measured.
    }
    check_agree(&runs)?;
    println!(
        "\nok: {} produced identical grids",
        if runs.len() > 1 {
            "both strategies"
        } else {
            "the strategy"
        }
    );
    println!(
        "  {:<16} {:>11} {:>11} {:>9}",
        "strategy", "time", "limit", "vs limit"
    );
    for run in &runs {
        println!(
            "  {:<16} {:>11} {:>11} {:>8.2}x",
            run.name,
            fmt_duration(run.elapsed),
            fmt_duration(limit),
            run.elapsed.as_secs_f64() / limit.as_secs_f64().max(f64::MIN_POSITIVE)
        );
    }

    if args.strategy.is_none() {
        bw59_threadpool::drawing()?.print();
    }
    refactoring_cost();

    if args.strategy.is_none() {
        println!("\n[{total}/{total}] which pool for which work");
        which_pool(workers, &io)?;
    }

    println!(
        "\ntakeaway: a pool keeps the serial code's shape (submit a call per cell, collect results) and caps\n          \
         concurrency at its size: time ~ ceil(cells / workers) x latency. Size it for waiting, not for cores."
    );
    tracing.close();
    Ok(())
}

/// How much code each step of the series needs around the unchanged cell
/// logic, counted from the sources themselves (bw58's line counter).
fn refactoring_cost() {
    use bw58_refactor::code_size::{code_lines, function_source, refactoring_footprint};
    let simulate_pool =
        function_source(include_str!("simulate.rs"), "simulate_pool").map_or(0, code_lines);
    let pool = code_lines(include_str!("pool.rs"));
    println!("  what the refactoring touched (lines of code, comments and blank lines excluded):");
    for step in refactoring_footprint() {
        println!("    {:<52} {:>4}", step.what, step.lines);
    }
    println!(
        "    {:<52} {:>4}",
        "pool: simulate_pool, with its error handling", simulate_pool
    );
    println!(
        "    {:<52} {:>4}",
        "  + the pool itself (pool.rs), reusable for any job", pool
    );
}

/// The same generation on three pools, for I/O-bound and for CPU-bound work.
fn which_pool(workers: usize, io: &CellIo) -> anyhow::Result<()> {
    let cores = course_support::cores();
    let io_grid = Grid::soup(25, 40, 2);
    println!(
        "  blocking I/O: {}x{} grid ({} cells), {} per cell",
        io_grid.height(),
        io_grid.width(),
        io_grid.len(),
        cli::fmt_latency(io.latency())
    );
    compare(
        vec![
            Box::new(RayonLife::new(cores)?),
            Box::new(TokioBlockingStrategy::new(512)?),
            Box::new(PoolStrategy::new(workers)?),
        ],
        &io_grid,
        io,
    )?;

    let cpu_grid = Grid::soup(512, 512, 3);
    println!(
        "  CPU only: {}x{} grid ({} cells), no I/O",
        cpu_grid.height(),
        cpu_grid.width(),
        cpu_grid.len()
    );
    compare(
        vec![
            Box::new(Serial),
            Box::new(RayonLife::new(cores)?),
            Box::new(PoolStrategy::new(workers)?),
        ],
        &cpu_grid,
        &CellIo::none(),
    )?;
    println!(
        "  rayon keeps one thread per core: right for computing, wrong for waiting. tokio's blocking\n  \
         pool grows to 512 threads for waiting; a pool of N waits N at a time, by choice."
    );
    Ok(())
}

/// Runs every strategy for one generation, checks they agree, prints times.
fn compare(strategies: Vec<Box<dyn Strategy>>, grid: &Grid, io: &CellIo) -> anyhow::Result<()> {
    let mut runs: Vec<Run> = Vec::new();
    for mut strategy in strategies {
        runs.push(measure(strategy.as_mut(), grid, 1, io)?);
    }
    check_agree(&runs)?;
    let fastest = runs.iter().map(|r| r.elapsed).min().unwrap_or_default();
    for run in &runs {
        println!(
            "    {:<20} {:>11}  {:>6.1}x the fastest",
            run.name,
            fmt_duration(run.elapsed),
            run.elapsed.as_secs_f64() / fastest.as_secs_f64().max(f64::MIN_POSITIVE)
        );
    }
    Ok(())
}
