//! The narrated demo of item 56: the glider, then serial time versus I/O.

use anyhow::Context;
use bw56_life::cli::{self, Defaults, LifeArgs};
use bw56_life::measure::{measure, serial_io_time};
use bw56_life::platform::TIMER_SLACK_UNAVAILABLE;
use bw56_life::{CellIo, ColumnPrinter, Grid, Serial};
use course_support::fmt_duration;
use course_support::timeline::Lanes;

/// The grid sizes of the serial-time table: cells grow 1 : 4 : 9.
const TABLE_SIDES: [usize; 3] = [10, 20, 30];

#[derive(clap::Parser)]
#[command(about = "Item 56: recognize when concurrency is necessary (the Game of Life, serially)")]
struct Cli {
    #[command(flatten)]
    life: LifeArgs,
}

fn main() -> anyhow::Result<()> {
    let cli: Cli = cli::parse(&Defaults {
        height: 5,
        width: 9,
        generations: 5,
        seed: None,
        latency: "1ms",
        strategies: &["serial"],
    });
    let args = cli.life;
    // Before any work, so a trace file that cannot be written stops the run.
    let tracing = args.trace.install(Lanes::Threads)?;
    let grid = args.grid()?;
    let io = CellIo::new(args.latency);

    course_support::banner("bw56-life: recognize when concurrency is necessary");
    println!("{}", args.describe());

    // The book's loop: print generations 0..G-1, end holding generation G.
    let mut columns = ColumnPrinter::new();
    let mut current = grid.clone();
    let mut serial = Serial;
    let (_, elapsed) = course_support::timed(|| -> anyhow::Result<()> {
        for _ in 0..args.generations {
            columns.append(current.to_string());
            current = measure(&mut serial, &current, 1, &io)
                .context("the serial simulation failed")?
                .grid;
        }
        Ok(())
    });
    let printable =
        args.generations > 0 && args.generations * (args.width + 3) <= 160 && args.height <= 40;
    if printable {
        println!("\n[1/2] the grid, generation by generation:");
        println!("{columns}");
    } else {
        println!("\n[1/2] (grid too large to print; see the fingerprint below)");
    }
    let predicted = serial_io_time(grid.len(), args.generations, &io);
    println!(
        "serial: {} generations of {} cells in {} (I/O alone: {})",
        args.generations,
        grid.len(),
        fmt_duration(elapsed),
        fmt_duration(predicted)
    );
    println!("{}", cli::final_line(&current));

    println!(
        "\n[2/2] one serial generation with {} of I/O per cell:",
        cli::fmt_latency(io.latency())
    );
    println!(
        "  {:>7}  {:>6}  {:>11}  {:>11}  {:>8}",
        "grid", "cells", "measured", "predicted", "ratio"
    );
    for side in TABLE_SIDES {
        let soup = Grid::soup(side, side, 1);
        let run = measure(&mut Serial, &soup, 1, &io).context("the serial simulation failed")?;
        let predicted = serial_io_time(soup.len(), 1, &io);
        let ratio = if predicted.is_zero() {
            "-".to_owned()
        } else {
            format!(
                "{:.2}x",
                run.elapsed.as_secs_f64() / predicted.as_secs_f64()
            )
        };
        println!(
            "  {:>7}  {:>6}  {:>11}  {:>11}  {:>8}",
            format!("{side}x{side}"),
            soup.len(),
            fmt_duration(run.elapsed),
            fmt_duration(predicted),
            ratio
        );
    }
    // Timer slack makes a 1 ms sleep about 7% longer on Linux; the workload
    // lowers it there, and says where it cannot.
    match TIMER_SLACK_UNAVAILABLE {
        None => println!(
            "  (each sleeping thread's timer slack is lowered to 1 ns, so a sleep lasts what it asks)"
        ),
        Some(why) => println!("  timer slack: {}", course_support::skipped(why)),
    }
    let big = 100 * 100;
    println!(
        "  a 100x100 grid would wait {} per generation, doing nothing else.",
        fmt_duration(serial_io_time(big, 1, &io))
    );
    println!(
        "takeaway: serial time is cells x latency; the waits are independent, so they could overlap.\n          \
         That needs fan-out (a unit of work per cell) and fan-in (wait for all before the next\n          \
         generation): items 57-60 try threads, queues, a pool and coroutines."
    );
    tracing.close();
    Ok(())
}
