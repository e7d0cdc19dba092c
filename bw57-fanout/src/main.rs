//! The narrated demo of item 57: serial (item 56) against a thread per cell,
//! what each thread costs as the grid grows, and how failures come back.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail, ensure};
use bw56_life::cli::{self, Defaults, LifeArgs};
use bw56_life::measure::{Run, check_agree, measure, serial_io_time};
use bw56_life::{CellIo, Fault, Grid, Serial, SimulationError, Strategy, simulate};
use bw57_fanout::cost::{FanOutCost, measure_cost};
use bw57_fanout::platform::THREAD_LIMIT_UNAVAILABLE;
use bw57_fanout::start_failure::{self, CHILD_FLAG, CHILD_THREAD_LIMIT};
use bw57_fanout::{Scoped, ThreadPerCell};
use course_support::timeline::Lanes;
use course_support::{fmt_duration, memory};

/// Grid sides of the cost tables: 100, 1,000 and 10,000 cells.
const COST_SIZES: [(usize, usize); 3] = [(10, 10), (25, 40), (100, 100)];

/// Serial runs with I/O longer than this are predicted, not run.
const SERIAL_BUDGET: Duration = Duration::from_millis(300);

#[derive(clap::Parser)]
#[command(about = "Item 57: avoid creating new threads for on-demand fan-out (a thread per cell)")]
struct Cli {
    #[command(flatten)]
    life: LifeArgs,

    /// Act as the child process of the thread-start-failure experiment.
    #[arg(long = CHILD_FLAG, hide = true)]
    start_failure_child: bool,
}

fn main() -> anyhow::Result<ExitCode> {
    let cli: Cli = cli::parse(&Defaults {
        height: 10,
        width: 10,
        generations: 5,
        seed: Some(7),
        latency: "1ms",
        strategies: &["serial", "thread-per-cell", "scoped"],
    });
    if cli.start_failure_child {
        return Ok(child());
    }
    let args = cli.life;
    // Before any work, so a trace file that cannot be written stops the run.
    let tracing = args.trace.install(Lanes::Threads)?;
    let grid = args.grid()?;
    let io = CellIo::new(args.latency);

    course_support::banner("bw57-fanout: avoid creating new threads for on-demand fan-out");
    println!("{}", args.describe());

    let runs = compare(&args, &grid, &io)?;
    // `--strategy` runs only that strategy: the sections below compare all.
    if args.strategy.is_none() {
        bw57_fanout::drawing()?.print();
        cost_tables(&io)?;
        failures()?;
    }

    if let Some(fastest) = runs
        .iter()
        .filter(|r| r.name != "serial")
        .min_by_key(|r| r.elapsed)
        && let Some(serial) = runs.iter().find(|r| r.name == "serial")
    {
        println!(
            "\nsummary: {} beat serial {:.1}x on this grid, paying a new thread for every cell of every generation.",
            fastest.name,
            ratio(serial.elapsed, fastest.elapsed)
        );
    }
    println!(
        "takeaway: a thread per item overlaps the waits, but the input decides how many threads exist;\n          \
         each costs time and memory, and past the system's limit they cannot start at all.\n          \
         Use a fixed number of long-lived workers instead (items 58 and 59)."
    );
    tracing.close();
    Ok(ExitCode::SUCCESS)
}

/// Sections 1 and 2: the same grid, before and after; verified, then timed.
fn compare(args: &LifeArgs, grid: &Grid, io: &CellIo) -> anyhow::Result<Vec<Run>> {
    let strategies: [(&str, Box<dyn Strategy>); 3] = [
        ("[1/4] before: serial (bw56)", Box::new(Serial)),
        (
            "[2/4] after: thread-per-cell, a new thread per cell writing into a LockingGrid",
            Box::new(ThreadPerCell::default()),
        ),
        (
            "      after: scoped, scoped threads returning their cell through join",
            Box::new(Scoped::default()),
        ),
    ];
    let mut runs = Vec::new();
    for (title, mut strategy) in strategies {
        if !args.runs(&strategy.name()) {
            continue;
        }
        println!("\n{title} ...");
        let run = measure(&mut *strategy, grid, args.generations, io)
            .with_context(|| format!("the {} simulation failed", strategy.name()))?;
        println!("{}", cli::final_line(&run.grid));
        runs.push(run);
    }
    check_agree(&runs)?;
    if runs.len() > 1 {
        println!("ok: all {} strategies produced identical grids", runs.len());
    }

    let serial = runs.iter().find(|r| r.name == "serial").map(|r| r.elapsed);
    let threads = (grid.len() * args.generations).to_string();
    println!(
        "  {:<16} {:>10}  {:>9}  {:>15}",
        "strategy", "time", "vs serial", "threads started"
    );
    for run in &runs {
        let vs = serial.map_or("-".to_owned(), |s| format!("{:.1}x", ratio(s, run.elapsed)));
        let started = if run.name == "serial" { "0" } else { &threads };
        println!(
            "  {:<16} {:>10}  {:>9}  {:>15}",
            run.name,
            fmt_duration(run.elapsed),
            vs,
            started
        );
    }
    Ok(runs)
}

/// Section 3: time per thread and memory as the grid grows.
fn cost_tables(io: &CellIo) -> anyhow::Result<()> {
    println!(
        "\n[3/4] what each thread costs as the grid grows (one generation each, verified against serial):"
    );
    // The runs with I/O are measured first, though printed second: where the
    // peak memory cannot be reset (macOS), a generation's peak shows only if
    // it rises above every earlier one, and the runs without I/O also start
    // 10,000 threads.
    let with_io = io_rows(io)?;
    let without_io = no_io_rows()?;

    println!("  without I/O — nothing to overlap, so the time is all thread creation and joining:");
    println!(
        "  {:>6}  {:>9}  {:>15}  {:>10}  {:>13}",
        "cells", "serial", "thread-per-cell", "per thread", "vs serial"
    );
    for row in without_io {
        println!("{row}");
    }

    let latency = cli::fmt_latency(io.latency());
    println!(
        "  with {latency} of I/O per cell — the waits overlap, and the threads alive at once need memory:"
    );
    println!(
        "  {:>6}  {:>10}  {:>15}  {:>9}  {:>10}  {:>10}  {:>10}",
        "cells", "serial", "thread-per-cell", "vs serial", "peak alive", "peak mem", "per thread"
    );
    for row in with_io {
        println!("{row}");
    }
    if let Some(line) = memory::skipped_line() {
        println!("  peak mem: {line}");
    }
    println!(
        "  (≈: predicted as cells x latency, item 56's law, rather than waited for.\n   \
         peak alive: cell threads running at once, counted by a gauge. peak mem: rise of the process's peak\n   \
         resident memory (\"hidden\": an earlier, higher peak this system cannot reset covers it).\n   \
         A finished thread keeps its stack until it is joined, and the fan-in joins after the\n   \
         whole fan-out, so every thread of the generation holds memory at the peak; each also reserves 2 MiB\n   \
         of address space for its stack)"
    );
    Ok(())
}

/// The rows of the table without I/O: serial against a thread per cell.
fn no_io_rows() -> anyhow::Result<Vec<String>> {
    let none = CellIo::none();
    let mut rows = Vec::new();
    for (height, width) in COST_SIZES {
        let grid = Grid::soup(height, width, 7);
        let serial = measure(&mut Serial, &grid, 1, &none)?;
        // Scoped threads cost the same per thread (see `cargo bench`): the
        // scope removes the lock and the Arcs, not the thread.
        let cost = verified(
            measure_cost(ThreadPerCell::new, &grid, &none)?,
            &serial.grid,
        )?;
        rows.push(format!(
            "  {:>6}  {:>9}  {:>15}  {:>10}  {:>13}",
            grid.len(),
            fmt_duration(serial.elapsed),
            fmt_duration(cost.elapsed),
            fmt_duration(cost.per_thread()),
            format!("{:.0}x slower", ratio(cost.elapsed, serial.elapsed)),
        ));
    }
    Ok(rows)
}

/// The rows of the table with I/O: the waits overlap, and memory is shown.
fn io_rows(io: &CellIo) -> anyhow::Result<Vec<String>> {
    let mut rows = Vec::new();
    for (height, width) in COST_SIZES {
        let grid = Grid::soup(height, width, 7);
        let expected = simulate(&grid, &CellIo::none())?;
        // Serial with I/O takes cells x latency: run it while that is short,
        // predict it beyond (the prediction is item 56's measured law).
        let predicted = serial_io_time(grid.len(), 1, io);
        let (serial, serial_text) = if predicted <= SERIAL_BUDGET {
            let run = measure(&mut Serial, &grid, 1, io)?;
            (run.elapsed, fmt_duration(run.elapsed))
        } else {
            (predicted, format!("≈{}", fmt_duration(predicted)))
        };
        let cost = verified(measure_cost(ThreadPerCell::new, &grid, io)?, &expected)?;
        rows.push(format!(
            "  {:>6}  {:>10}  {:>15}  {:>9}  {:>10}  {:>10}  {:>10}",
            grid.len(),
            serial_text,
            fmt_duration(cost.elapsed),
            format!("{:.1}x", ratio(serial, cost.elapsed)),
            cost.peak_threads,
            cost.peak_growth_kib
                .map_or_else(memory::unmeasured, |kib| format!(
                    "{:.1} MiB",
                    kib as f64 / 1024.0
                )),
            cost.kib_per_thread()
                .map_or_else(memory::unmeasured, |kib| format!("{kib:.0} KiB")),
        ));
    }
    Ok(rows)
}

/// Section 4: a failing cell, a panicking cell, a refused thread.
fn failures() -> anyhow::Result<()> {
    println!(
        "\n[4/4] failures: a cell whose I/O fails, a cell that panics (5x5 grid, 1 generation) ..."
    );
    let grid = Grid::soup(5, 5, 7);
    let faults = [
        ("I/O error", Fault::error_at(2, 3)),
        ("panic", Fault::panic_at(4, 1)),
    ];
    // A panicking thread prints its message through the panic hook; keep it
    // to one stderr line so the narration stays readable.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        let thread = std::thread::current();
        let message = bw56_life::io::panic_message(info.payload());
        eprintln!(
            "  (stderr) thread '{}' panicked: {message}",
            thread.name().unwrap_or("?")
        );
    }));
    let mut outcomes = Vec::new();
    for (what, fault) in faults {
        let io = CellIo::none().with_fault(fault);
        let strategies: [Box<dyn Strategy>; 2] = [
            Box::new(ThreadPerCell::default()),
            Box::new(Scoped::default()),
        ];
        for mut strategy in strategies {
            let outcome = strategy.step(&grid, &io);
            outcomes.push((what, fault, strategy.name(), outcome));
        }
    }
    std::panic::set_hook(default_hook);
    for (what, fault, name, outcome) in outcomes {
        let error = expect_cell_error(outcome, fault.y, fault.x, &name)?;
        ensure!(
            error.is_panic() == (what == "panic"),
            "{name}: expected a {what} at ({}, {}), got: {}",
            fault.y,
            fault.x,
            start_failure::chain(&error)
        );
        println!("  {what:<9} {name:<16} -> {}", start_failure::chain(&error));
    }
    println!(
        "  ok: both reached the caller as SimulationError naming the cell; every thread was joined"
    );

    println!(
        "      and a thread the OS refuses: a child process allowed {CHILD_THREAD_LIMIT} threads fans out 100 cells ..."
    );
    if let Some(why) = THREAD_LIMIT_UNAVAILABLE {
        println!("  {}", course_support::skipped(why));
        return Ok(());
    }
    let exe = std::env::current_exe().context("cannot find this program to start it as a child")?;
    let reports = start_failure::provoke_in_child(&exe)
        .context("the thread-start-failure child did not report as expected")?;
    for report in &reports {
        ensure!(
            report.left_running == 0 && report.started < report.cells,
            "{}: {} threads left running after the error",
            report.strategy,
            report.left_running
        );
        println!(
            "  {:<16} cell ({}, {}) could not start after {} threads; {} left running",
            report.strategy, report.y, report.x, report.started, report.left_running
        );
        println!("  {:<16} -> {}", "", report.message);
    }
    println!(
        "  ok: a refused thread is an error value naming its cell, not a panic; the started threads were joined"
    );
    Ok(())
}

/// The child process of section 4: reports on stdout, exits 0 only if every
/// strategy failed to start a thread as expected.
fn child() -> ExitCode {
    match start_failure::run_child_experiment() {
        Ok(reports) => {
            for report in reports {
                println!("{report}");
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn expect_cell_error(
    outcome: Result<Grid, SimulationError>,
    y: usize,
    x: usize,
    name: &str,
) -> anyhow::Result<SimulationError> {
    match outcome {
        Ok(_) => bail!("{name} succeeded although cell ({y}, {x}) was set to fail"),
        Err(error) if (error.y, error.x) == (y, x) => Ok(error),
        Err(error) => bail!(
            "{name} blamed cell ({}, {}) instead of ({y}, {x}): {}",
            error.y,
            error.x,
            start_failure::chain(&error)
        ),
    }
}

fn verified(cost: FanOutCost, expected: &Grid) -> anyhow::Result<FanOutCost> {
    ensure!(
        &cost.grid == expected,
        "{} on {} cells disagrees with serial",
        cost.name,
        cost.cells
    );
    Ok(cost)
}

fn ratio(baseline: Duration, other: Duration) -> f64 {
    baseline.as_secs_f64() / other.as_secs_f64().max(1e-9)
}
