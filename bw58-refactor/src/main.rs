//! The narrated demo of item 58: a thread per cell (item 57) against a
//! pipeline of long-lived workers, what the second phase is for, and what
//! the refactoring cost in code.

use std::time::Duration;

use anyhow::{Context, ensure};
use bw56_life::cli::{self, Defaults, LifeArgs, WorkersArgs};
use bw56_life::measure::{Run, check_agree, measure, pool_io_limit};
use bw56_life::{CellIo, Grid, Strategy, run, simulate};
use bw57_fanout::ThreadPerCell;
use bw58_refactor::code_size::{hardening_footprint, refactoring_footprint};
use bw58_refactor::{LiveWorkers, Pipeline, TwoPhasePipeline};
use course_support::fmt_duration;
use course_support::timeline::Lanes;

#[derive(clap::Parser)]
#[command(
    about = "Item 58: refactoring for queues — a pipeline of long-lived workers fed by channels"
)]
struct Cli {
    #[command(flatten)]
    life: LifeArgs,

    #[command(flatten)]
    pool: WorkersArgs,

    /// Room in each channel, in messages (default: the number of workers).
    #[arg(long)]
    capacity: Option<usize>,
}

fn main() -> anyhow::Result<()> {
    let cli: Cli = cli::parse(&Defaults {
        height: 20,
        width: 20,
        generations: 5,
        seed: Some(7),
        latency: "1ms",
        strategies: &["thread-per-cell", "pipeline", "pipeline-2phase"],
    });
    let args = &cli.life;
    // Before any work, so a trace file that cannot be written stops the run.
    let tracing = args.trace.install(Lanes::Threads)?;
    let workers = cli.pool.workers;
    let capacity = cli.capacity.unwrap_or(workers);
    let grid = args.grid()?;
    let io = CellIo::new(args.latency);

    course_support::banner(
        "bw58-refactor: refactoring for queues (a pipeline of long-lived workers)",
    );
    println!(
        "{} | workers: {workers} | capacity: {capacity}",
        args.describe()
    );

    compare(args, &grid, &io, workers, capacity)?;
    // `--strategy` runs one strategy on the given grid and nothing else:
    // sections 3 and 4 compare every strategy on grids of their own.
    if args.strategy.is_none() {
        bw58_refactor::drawing()?.print();
        second_phase(&io, workers, capacity)?;
        refactoring_cost(&io)?;
    }

    println!(
        "takeaway: queues cap the threads and the I/O in flight at a number the program chooses,\n          \
         but turn a loop into a protocol: messages, error values, draining while feeding, and a\n          \
         shutdown order — and every new blocking call reshapes the pipeline again (item 59 keeps\n          \
         the cap and drops most of the code)."
    );
    tracing.close();
    Ok(())
}

/// Sections 1 and 2: before and after on the same grid; verified, then timed.
fn compare(
    args: &LifeArgs,
    grid: &Grid,
    io: &CellIo,
    workers: usize,
    capacity: usize,
) -> anyhow::Result<()> {
    struct Row {
        run: Run,
        label: String,
        io_calls: usize,
        limit: Option<Duration>,
        threads: usize,
    }
    let generations = args.generations;
    let cells = grid.len();
    let mut rows = Vec::new();
    let mut live = Vec::new();

    if args.runs("thread-per-cell") {
        println!(
            "\n[1/4] before: thread-per-cell (bw57), a new thread for every cell of every generation ..."
        );
        let run = measure(&mut ThreadPerCell::default(), grid, generations, io)
            .context("the thread-per-cell simulation failed")?;
        println!("{}", cli::final_line(&run.grid));
        rows.push(Row {
            label: run.name.clone(),
            io_calls: cells * generations,
            limit: None,
            threads: cells * generations,
            run,
        });
    }
    if args.runs("pipeline") {
        println!(
            "\n[2/4] after: pipeline, {workers} long-lived workers fed by channels of {capacity} ..."
        );
        let mut pipeline = Pipeline::with_capacity(workers, capacity);
        live.push(pipeline.live_workers());
        let run = measure(&mut pipeline, grid, generations, io).context("the pipeline failed")?;
        println!("{}", cli::final_line(&run.grid));
        rows.push(Row {
            label: format!("{}({workers})", run.name),
            io_calls: cells * generations,
            limit: Some(pool_io_limit(cells, workers, generations, io)),
            threads: pipeline.workers(),
            run,
        });
    }
    if args.runs("pipeline-2phase") {
        println!(
            "\n      after: pipeline-2phase, {workers} neighbour workers -> {workers} logic workers (neighbour I/O on) ..."
        );
        let mut pipeline = TwoPhasePipeline::with_capacity(workers, capacity);
        live.push(pipeline.live_workers());
        let run = measure(&mut pipeline, grid, generations, io)
            .context("the two-phase pipeline failed")?;
        println!("{}", cli::final_line(&run.grid));
        // Two I/O calls per cell, spread over the workers of both phases.
        let both = io.clone().with_neighbor_io(true);
        rows.push(Row {
            label: format!("{}({workers}+{workers})", run.name),
            io_calls: 2 * cells * generations,
            limit: Some(pool_io_limit(cells, 2 * workers, generations, &both)),
            threads: 2 * pipeline.workers_per_phase(),
            run,
        });
    }
    // The pipelines above were dropped at the end of their blocks: closed
    // channels, joined workers.
    let left: usize = live.iter().map(LiveWorkers::get).sum();
    ensure!(
        left == 0,
        "{left} pipeline worker threads still running after drop"
    );

    let runs: Vec<Run> = rows.iter().map(|r| r.run.clone()).collect();
    check_agree(&runs)?;
    if runs.len() > 1 {
        println!("ok: all {} strategies produced identical grids", runs.len());
    }
    if !live.is_empty() {
        println!("ok: every pipeline was dropped with 0 worker threads left running");
    }
    println!(
        "  {:<24} {:>10}  {:>9}  {:>10}  {:>8}  {:>15}",
        "strategy", "time", "I/O calls", "limit", "vs limit", "threads started"
    );
    for row in &rows {
        let (limit, vs) = match row.limit {
            Some(limit) if !limit.is_zero() => (
                fmt_duration(limit),
                format!(
                    "{:.2}x",
                    row.run.elapsed.as_secs_f64() / limit.as_secs_f64()
                ),
            ),
            _ => ("-".to_owned(), "-".to_owned()),
        };
        println!(
            "  {:<24} {:>10}  {:>9}  {:>10}  {:>8}  {:>15}",
            row.label,
            fmt_duration(row.run.elapsed),
            row.io_calls,
            limit,
            vs,
            row.threads
        );
    }
    println!(
        "  (limit: ceil(I/O calls / workers) x latency, the best a fixed set of workers can do;\n   \
         a thread per cell has no such limit, and no cap on threads either)"
    );
    Ok(())
}

/// Section 3: neighbour I/O on, and why the pipeline needs a second phase.
fn second_phase(io: &CellIo, workers: usize, capacity: usize) -> anyhow::Result<()> {
    let grid = Grid::soup(10, 10, 7);
    let with_counts = io.clone().with_neighbor_io(true);
    println!(
        "\n[3/4] count_neighbors does I/O too ({}x{}, 1 generation, 2 I/O calls per cell) ...",
        grid.height(),
        grid.width()
    );
    let expected = simulate(&grid, &CellIo::none())?;
    let strategies: [(Box<dyn Strategy>, &str); 3] = [
        (
            Box::new(ThreadPerCell::default()),
            "both calls in each cell's thread",
        ),
        (
            Box::new(Pipeline::with_capacity(workers, capacity)),
            "counts run one by one in the caller",
        ),
        (
            Box::new(TwoPhasePipeline::with_capacity(workers, capacity)),
            "counts run in their own workers",
        ),
    ];
    println!(
        "  {:<16} {:>10}  where the neighbour I/O happens",
        "strategy", "time"
    );
    for (mut strategy, note) in strategies {
        let run = measure(&mut *strategy, &grid, 1, &with_counts)
            .with_context(|| format!("{} failed", strategy.name()))?;
        ensure!(run.grid == expected, "{} disagrees with serial", run.name);
        println!(
            "  {:<16} {:>10}  {note}",
            run.name,
            fmt_duration(run.elapsed)
        );
    }
    println!("ok: all three equal serial with neighbour I/O");
    Ok(())
}

/// Section 4: what the refactoring cost in code, and bounded channels.
fn refactoring_cost(io: &CellIo) -> anyhow::Result<()> {
    println!(
        "\n[4/4] what the refactoring touched (lines of code, comments and blank lines excluded):"
    );
    let footprints = refactoring_footprint();
    let serial = footprints.first().map_or(1, |f| f.lines.max(1));
    println!(
        "  {:<52} {:>5}  {:>9}",
        "version of the step", "lines", "vs serial"
    );
    for footprint in &footprints {
        println!(
            "  {:<52} {:>5}  {:>8.1}x",
            footprint.what,
            footprint.lines,
            footprint.lines as f64 / serial as f64
        );
    }
    println!(
        "  (count_neighbors, game_logic and CellIo are unchanged: only the driver around them grew;\n   \
         the refactoring itself is the message types, workers, coordinator, start and shutdown)"
    );
    println!("  besides, in the same files:");
    for footprint in hardening_footprint() {
        println!("  {:<52} {:>5}", footprint.what, footprint.lines);
    }

    let grid = Grid::soup(10, 10, 7);
    let generations = 3;
    let expected = run(&mut bw56_life::Serial, &grid, generations, &CellIo::none())?;
    let small = CellIo::new(io.latency().min(Duration::from_micros(100)));
    println!(
        "  bounded channels of capacity 1, 2 workers per phase, {}x{} grid, {generations} generations:",
        grid.height(),
        grid.width()
    );
    let strategies: [Box<dyn Strategy>; 2] = [
        Box::new(Pipeline::with_capacity(2, 1)),
        Box::new(TwoPhasePipeline::with_capacity(2, 1)),
    ];
    for mut strategy in strategies {
        let run = measure(&mut *strategy, &grid, generations, &small)
            .with_context(|| format!("{} failed with capacity 1", strategy.name()))?;
        ensure!(run.grid == expected, "{} disagrees with serial", run.name);
        println!(
            "  {:<16} {:>10}  ok: 100 cells through room for 1 message, no deadlock",
            run.name,
            fmt_duration(run.elapsed)
        );
    }
    println!(
        "  (the coordinator sends a job or takes a result, whichever is ready, so results always drain)"
    );
    Ok(())
}
