//! The narrated demo of item 60: the pool (item 59) against one future per
//! cell on four runtimes, how `async` spreads up the call chain, spawning
//! against joining, a failing cell, and the whole series side by side.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, ensure};
use bw56_life::cli::{self, Defaults, LifeArgs, WorkersArgs};
use bw56_life::measure::{check_agree, measure};
use bw56_life::{CellIo, Fault, Grid, Phase, Serial, Strategy};
use bw59_threadpool::PoolStrategy;
use bw60_coroutines::failure::fail_and_watch;
use bw60_coroutines::footprint::{self, Footprint, PROBE_FLAG, probe_in_child};
use bw60_coroutines::series::{self, Entry};
use bw60_coroutines::{
    ASYNC_STRATEGIES, CellStep, Fanout, Tokio, async_strategy, cell_future_bytes,
};
use course_support::timeline::Lanes;
use course_support::{fmt_duration, memory};

/// The targets of the course for one generation with 1 ms of I/O (COURSE.md §4).
const TARGET_100K: Duration = Duration::from_millis(150);
const TARGET_1M: Duration = Duration::from_millis(1000);
const TARGET_BYTES_PER_CELL: f64 = 1024.0;

#[derive(clap::Parser)]
#[command(about = "Item 60: achieve highly concurrent I/O with coroutines (a future per cell)")]
struct Cli {
    #[command(flatten)]
    life: LifeArgs,

    #[command(flatten)]
    pool: WorkersArgs,

    /// How the async strategies start their cells: all futures joined in one
    /// task (join), or a task per cell as asyncio.gather does (spawn).
    #[arg(long, default_value = "join", value_parser = ["join", "spawn"])]
    fanout: String,

    /// Also measure 100,000 and 1,000,000 cells on every runtime against the
    /// course's targets, and extend the series table (about half a minute).
    #[arg(long)]
    scale: bool,

    /// Act as a footprint probe: measure one generation of --strategy in this
    /// fresh process and print one line.
    #[arg(long = PROBE_FLAG, hide = true)]
    footprint_probe: bool,

    /// Generations a probe measures (memory from the first, the fastest time).
    #[arg(long, default_value_t = 1, hide = true)]
    runs: usize,
}

fn main() -> anyhow::Result<()> {
    let cli: Cli = cli::parse(&Defaults {
        height: 100,
        width: 100,
        generations: 1,
        seed: Some(1),
        latency: "1ms",
        strategies: &["pool", "tokio", "tokio-current-thread", "smol", "async-std"],
    });
    let args = &cli.life;
    let fanout = if cli.fanout == "spawn" {
        Fanout::Spawn
    } else {
        Fanout::Join
    };
    if cli.footprint_probe {
        let name = args
            .strategy
            .as_deref()
            .context("--footprint-probe needs --strategy")?;
        return footprint::run_probe(
            name,
            fanout,
            args.height,
            args.width,
            args.latency,
            cli.runs,
        );
    }
    // Before any work, so a trace file that cannot be written stops the run;
    // a lane per span, since a task's cells wait on whichever thread.
    let tracing = args.trace.install(Lanes::Tasks)?;
    let workers = cli.pool.workers;
    let grid = args.grid()?;
    let io = CellIo::new(args.latency);

    course_support::banner("bw60-coroutines: highly concurrent I/O with coroutines");
    println!(
        "{} | pool workers: {workers} | async fan-out: {}",
        args.describe(),
        fanout.name()
    );

    let sections = if args.strategy.is_some() {
        1
    } else {
        5 + usize::from(cli.scale)
    };
    compare(args, &grid, &io, workers, fanout, sections)?;
    if args.strategy.is_none() {
        // What section 1's speed-up looks like: the waits of a pool against
        // those of the futures, on one time axis.
        bw60_coroutines::drawing()?.print();
        let exe = std::env::current_exe().context("locating this program for the probes")?;
        call_chain(&io, sections)?;
        spawn_or_join(&exe, &io, sections)?;
        failing_cell(sections)?;
        whole_series(&io, workers, cli.scale, sections)?;
        if cli.scale {
            scale(&exe, &io, sections)?;
        }
    }
    println!(
        "\ntakeaway: a waiting cell is a small future, not a thread: one thread can keep a million I/O waits\n          \
         in flight. async spreads up every caller (step_cell -> simulate -> block_on), and the same code\n          \
         runs on any runtime; a failed generation cancels its other cells instead of leaving them running."
    );
    tracing.close();
    Ok(())
}

/// Section 1: the pool (before) and every runtime (after) on the same grid.
fn compare(
    args: &LifeArgs,
    grid: &Grid,
    io: &CellIo,
    workers: usize,
    fanout: Fanout,
    sections: usize,
) -> anyhow::Result<()> {
    println!("\n[1/{sections}] the same generations, before and after, checked equal:");
    let mut candidates: Vec<(&str, Box<dyn Strategy>)> = Vec::new();
    if args.runs("pool") {
        let pool = PoolStrategy::new(workers).context("starting the pool")?;
        candidates.push(("before: thread pool (item 59)", Box::new(pool)));
    }
    for name in ASYNC_STRATEGIES {
        if args.runs(name) {
            let strategy = async_strategy(name, fanout, CellStep::AsyncNeighbors)
                .with_context(|| format!("starting the {name} runtime"))?;
            candidates.push(("after: a future per cell", strategy));
        }
    }
    let mut runs = Vec::new();
    for (role, mut strategy) in candidates {
        println!("  {role}, {} ...", strategy.name());
        let run = measure(strategy.as_mut(), grid, args.generations, io)
            .with_context(|| format!("{} failed", strategy.name()))?;
        println!("  {}", cli::final_line(&run.grid));
        runs.push(run);
        // The strategy is dropped here: its threads or runtime stop before
        // the next one is measured.
    }
    check_agree(&runs)?;
    println!("  ok: {} strategies produced identical grids", runs.len());
    let pool = runs
        .iter()
        .find(|r| r.name.starts_with("pool"))
        .map(|r| r.elapsed);
    println!("  {:<22} {:>11} {:>10}", "strategy", "time", "speed-up");
    for run in &runs {
        let vs = pool.map_or("-".to_owned(), |p| format!("{:.1}x", ratio(p, run.elapsed)));
        println!(
            "  {:<22} {:>11} {:>10}",
            run.name,
            fmt_duration(run.elapsed),
            vs
        );
    }
    Ok(())
}

/// Section 2: step 1 (count_neighbors blocking inside the async step_cell)
/// against step 2 (count_neighbors awaited), with neighbour I/O switched on.
fn call_chain(io: &CellIo, sections: usize) -> anyhow::Result<()> {
    let grid = Grid::soup(10, 10, 3);
    let io = io.clone().with_neighbor_io(true);
    let expected = Serial.step(&grid, &CellIo::none())?;
    println!(
        "\n[2/{sections}] async spreads up the call chain: count_neighbors does I/O too ({} cells, {} per call)",
        grid.len(),
        cli::fmt_latency(io.latency())
    );
    println!(
        "  {:<22} {:>26} {:>26}",
        "runtime", "step 1: blocking call", "step 2: awaited"
    );
    let variants = [
        ("tokio-current-thread", Fanout::Join),
        ("tokio", Fanout::Join),
        ("tokio", Fanout::Spawn),
    ];
    for (name, fanout) in variants {
        let mut times = Vec::new();
        let mut label = String::new();
        for step in [CellStep::AsyncLogic, CellStep::AsyncNeighbors] {
            let mut strategy = async_strategy(name, fanout, step)?;
            let run = measure(strategy.as_mut(), &grid, 1, &io)?;
            ensure!(run.grid == expected, "{} computed a wrong grid", run.name);
            times.push(run.elapsed);
            label = run.name;
        }
        println!(
            "  {:<22} {:>26} {:>26}",
            label,
            fmt_duration(times[0]),
            fmt_duration(times[1])
        );
    }
    println!(
        "  step 1 calls the blocking count_neighbors from async code: each call holds the thread polling the\n  \
         cells for the whole wait, and every other cell queues behind it: cells x latency with one polling\n  \
         thread, half that with tokio's two workers polling spawned cells. Step 2 awaits it: one more\n  \
         `.await` in step_cell, which was already async, so nothing else changes (item 58 grew a phase)."
    );
    Ok(())
}

/// Section 3: a task per cell against joined futures, in fresh processes.
fn spawn_or_join(exe: &Path, io: &CellIo, sections: usize) -> anyhow::Result<()> {
    let size = series::SIZES[3];
    println!(
        "\n[3/{sections}] spawn a task per cell, or join the futures in one task? ({} per call, each run in a fresh process)",
        cli::fmt_latency(io.latency())
    );
    footprint_header();
    let mut missed = Vec::new();
    for fanout in Fanout::ALL {
        let footprint = probe_in_child(exe, "tokio", fanout, size, io.latency(), 2)?;
        footprint_row(&footprint, &mut missed);
    }
    let million = probe_in_child(
        exe,
        "tokio",
        Fanout::Join,
        series::SIZES[4],
        io.latency(),
        1,
    )?;
    footprint_row(&million, &mut missed);
    explain_missed(&missed);
    let tokio = Tokio::current_thread().context("starting tokio")?;
    println!(
        "  a cell's future is {} bytes (the state machine of step_cell, with tokio's {}-byte Sleep inside);\n  \
         the rest per cell is the FuturesUnordered node (join) or the task and its join handle (spawn).\n  \
         spawn (asyncio.gather's way) lets every core poll cells; join polls them all from one thread, with\n  \
         less memory and work per cell. Cells that only wait need no parallelism; cells that compute would.",
        cell_future_bytes(&tokio, CellStep::AsyncNeighbors),
        std::mem::size_of::<tokio::time::Sleep>()
    );
    Ok(())
}

/// Section 4: a failing cell on every runtime, and the proof that the rest of
/// its generation was cancelled.
fn failing_cell(sections: usize) -> anyhow::Result<()> {
    let grid = Grid::soup(100, 100, 4);
    // Long waits, so cells left running would still be waiting (and then
    // start their second wait) well after the error came back.
    let latency = Duration::from_millis(50);
    let io = CellIo::new(latency).with_neighbor_io(true);
    let fault = Fault::error_at(42, 17).in_phase(Phase::Neighbors);
    // A cell left running would finish its current wait and start the next
    // within one latency; two latencies of silence prove none was left.
    let watch = latency * 2;
    println!(
        "\n[4/{sections}] a failing cell: ({}, {})'s I/O fails at once; {} other cells wait {} twice",
        fault.y,
        fault.x,
        thousands(grid.len() - 1),
        cli::fmt_latency(latency)
    );
    let started = format!("started in next {}", fmt_duration(watch));
    println!(
        "  {:<27} {:>11} {:>13} {:>14} {:>26}",
        "strategy", "error after", "peak waiting", "waiting after", started
    );
    let mut message = None;
    for name in ASYNC_STRATEGIES {
        for fanout in [Fanout::Join, Fanout::Spawn] {
            let mut strategy = async_strategy(name, fanout, CellStep::AsyncNeighbors)?;
            let after = fail_and_watch(strategy.as_mut(), &grid, &io, fault, watch)?;
            ensure!(
                (after.error.y, after.error.x) == (fault.y, fault.x),
                "{} blamed cell ({}, {})",
                strategy.name(),
                after.error.y,
                after.error.x
            );
            ensure!(
                after.in_flight_after == 0 && after.started_after == 0,
                "{} left cells running: {} waiting, {} started later",
                strategy.name(),
                after.in_flight_after,
                after.started_after
            );
            println!(
                "  {:<27} {:>11} {:>13} {:>14} {:>26}",
                strategy.name(),
                fmt_duration(after.elapsed),
                after.peak_in_flight,
                after.in_flight_after,
                after.started_after
            );
            message.get_or_insert_with(|| error_chain(&after.error));
        }
    }
    if let Some(message) = message {
        println!("  error: {message}");
    }
    println!(
        "  every other cell was cancelled (its future dropped) before the error was returned. asyncio.gather\n  \
         re-raises at once without cancelling the others; the book's asyncio.run then cancels what is left\n  \
         as the error leaves simulate. A panicking cell is reported the same way."
    );
    Ok(())
}

/// Section 5: serial, thread per cell, pipeline, pool and tokio on the same grids.
fn whole_series(io: &CellIo, workers: usize, scale: bool, sections: usize) -> anyhow::Result<()> {
    let sizes = if scale {
        &series::SIZES[..]
    } else {
        &series::SIZES[..4]
    };
    println!(
        "\n[5/{sections}] the series: one generation, {} per cell, the same grids, each checked against the rules",
        cli::fmt_latency(io.latency())
    );
    let rows = series::run_series(&series::contenders(workers, scale), sizes, workers, io)?;
    print!("  {:<16} {:<8}", "strategy", "item");
    for (height, width) in sizes {
        print!(" {:>15}", format!("{} cells", thousands(height * width)));
    }
    println!();
    for row in &rows {
        print!("  {:<16} {:<8}", row.name, row.item);
        for entry in &row.entries {
            let text = match entry {
                Entry::Ran(elapsed) => fmt_duration(*elapsed),
                Entry::Skipped(Some(predicted)) => format!("(~{})", fmt_duration(*predicted)),
                Entry::Skipped(None) => "-".to_owned(),
            };
            print!(" {text:>15}");
        }
        println!();
    }
    println!(
        "  (~t): not run, it would take about t (serial: cells x latency; pipeline and pool: cells / {workers} x latency).\n  \
         -: not run; a thread per cell would start that many OS threads at once{}.",
        if scale {
            ""
        } else {
            " (--scale runs 10x further)"
        }
    );
    Ok(())
}

/// Section 6 (`--scale`): every runtime at 100,000 and 1,000,000 cells.
fn scale(exe: &Path, io: &CellIo, sections: usize) -> anyhow::Result<()> {
    println!(
        "\n[6/{sections}] scale: one generation, {} per cell, each in a fresh process (fastest of 3 runs)",
        cli::fmt_latency(io.latency())
    );
    footprint_header();
    let mut missed = Vec::new();
    for size in [series::SIZES[3], series::SIZES[4]] {
        for name in ASYNC_STRATEGIES {
            for fanout in Fanout::ALL {
                let footprint = probe_in_child(exe, name, fanout, size, io.latency(), 3)?;
                footprint_row(&footprint, &mut missed);
            }
        }
    }
    explain_missed(&missed);
    println!(
        "  targets (tokio, 1ms): 100,000 cells <= {}, 1,000,000 cells <= {} and <= {:.0} B per cell.\n  \
         Python's asyncio on this machine: 0.13 s for 10,000 cells, 2.3 s for 100,000.",
        fmt_duration(TARGET_100K),
        fmt_duration(TARGET_1M),
        TARGET_BYTES_PER_CELL
    );
    Ok(())
}

fn footprint_header() {
    if let Some(line) = memory::skipped_line() {
        println!("  peak growth: {line}");
    }
    println!(
        "  {:<28} {:>10} {:>11} {:>15} {:>10}  target",
        "strategy", "cells", "time", "peak growth", "per cell"
    );
}

/// One row of a footprint table. The course's targets are set for its
/// default strategy, tokio with joined futures (the row named `tokio`); the
/// other rows are comparisons and get no verdict. A missed target is added to
/// `missed`, so the table can be followed by what was missed and why.
fn footprint_row(footprint: &Footprint, missed: &mut Vec<String>) {
    let per_cell = footprint.bytes_per_cell();
    let mut verdicts = Vec::new();
    if footprint.strategy == "tokio" {
        let time_target = match footprint.cells {
            100_000 => Some(TARGET_100K),
            1_000_000 => Some(TARGET_1M),
            _ => None,
        };
        if let Some(target) = time_target {
            let met = footprint.elapsed <= target;
            verdicts.push(verdict(met, "time"));
            if !met {
                missed.push(format!(
                    "{} cells took {} against {}",
                    thousands(footprint.cells),
                    fmt_duration(footprint.elapsed),
                    fmt_duration(target)
                ));
            }
        }
        if footprint.cells == 1_000_000 {
            match per_cell {
                Some(bytes) => {
                    let met = bytes <= TARGET_BYTES_PER_CELL;
                    verdicts.push(verdict(met, "memory"));
                    if !met {
                        missed.push(format!(
                            "{bytes:.0} B per cell against {TARGET_BYTES_PER_CELL:.0} B"
                        ));
                    }
                }
                None => verdicts.push("memory: not measured".to_owned()),
            }
        }
    }
    let line = format!(
        "  {:<28} {:>10} {:>11} {:>15} {:>10}  {}",
        footprint.strategy,
        thousands(footprint.cells),
        fmt_duration(footprint.elapsed),
        footprint
            .peak_growth_kib
            .map_or_else(memory::unmeasured, |kib| format!(
                "{:.1} MiB",
                kib as f64 / 1024.0
            )),
        per_cell.map_or_else(memory::unmeasured, |bytes| format!("{bytes:.0} B")),
        verdicts.join(", ")
    );
    println!("{}", line.trim_end());
}

/// After a footprint table: what was missed, and why that can happen.
fn explain_missed(missed: &[String]) {
    if missed.is_empty() {
        return;
    }
    println!("  missed: {}.", missed.join("; "));
    println!(
        "  the time targets are for the course's 2-core machine with nothing else running: beyond the\n  \
         one wait, the time is the CPU work of creating and polling every cell's future on one thread,\n  \
         and on a busy machine that thread shares its core. `cargo bench -p bw60-coroutines` measures\n  \
         the same runs in release."
    );
}

fn verdict(met: bool, what: &str) -> String {
    format!("{what}: {}", if met { "met" } else { "missed" })
}

/// An error and its sources on one line.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// `1000000` as `1,000,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut text = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            text.push(',');
        }
        text.push(digit);
    }
    text
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(f64::MIN_POSITIVE)
}
