//! The narrated demo of item 52: child processes captured, polled, fanned
//! out, streamed, chained, timed out and reaped.
//!
//! The lesson is about Unix processes, so the demo itself ([`demo`]) exists
//! only on Unix; elsewhere the binary says so and exits successfully. The
//! flags are the same everywhere, so `--trace` is written (or refused) alike.

#[cfg(unix)]
mod demo;

use std::num::NonZeroUsize;
use std::time::Duration;

use clap::Parser;
use course_support::parse_duration;
use course_support::timeline::{Lanes, TraceArgs};

#[derive(Parser)]
#[command(about = "Item 52: use subprocess to manage child processes")]
// Outside Unix nothing reads the sizes: the demo they size does not run there.
#[cfg_attr(not(unix), allow(dead_code))]
struct Cli {
    /// How many `sleep` children to run one after another, then all at once.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=200))]
    children: u32,
    /// How long each of those children sleeps (e.g. 100ms, 1s).
    #[arg(long, default_value = "100ms", value_parser = parse_duration)]
    sleep: Duration,
    /// MiB of data to stream through `cat`.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=1024))]
    stream_mib: u32,
    /// How long a child may run before it is sent SIGTERM.
    #[arg(long, default_value = "100ms", value_parser = parse_duration)]
    timeout: Duration,
    /// How long after SIGTERM before SIGKILL.
    #[arg(long, default_value = "100ms", value_parser = parse_duration)]
    grace: Duration,
    /// How many children the async step runs in all.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=1000))]
    async_children: u32,
    /// At most this many of them at once (at least 1).
    #[arg(long, default_value = "4")]
    limit: NonZeroUsize,
    #[command(flatten)]
    trace: TraceArgs,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // Before any child starts, so a trace file that cannot be written stops
    // the run. A lane per child: each child's span lives from its start to
    // its reaping, whichever thread (or tokio task) did either.
    let tracing = cli.trace.install(Lanes::Tasks)?;
    run(&cli)?;
    tracing.close();
    Ok(())
}

#[cfg(unix)]
fn run(cli: &Cli) -> anyhow::Result<()> {
    demo::run(cli)
}

#[cfg(not(unix))]
fn run(_cli: &Cli) -> anyhow::Result<()> {
    println!(
        "bw52-subprocess: skipped on {}: this lesson needs a Unix system (Linux or macOS).\n\
         It is about Unix child processes: signals (SIGTERM, SIGKILL, SIGPIPE), zombies and\n\
         reaping, with `sh` and coreutils as the children. Run it on Linux or macOS, or on\n\
         Windows inside WSL; nothing was run here, so a --trace file holds no spans.",
        std::env::consts::OS
    );
    Ok(())
}
