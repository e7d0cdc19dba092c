//! The command line every Life binary shares (items 56–60 and 64), and the
//! `final:` line they all print.
//!
//! A binary flattens [`LifeArgs`] into its own `clap` parser (adding, say,
//! `--workers`), then calls [`parse`] with its own [`Defaults`] and strategy
//! names, so each demo picks defaults that keep it quick while the flags,
//! their checks and their error messages stay the same everywhere.
//!
//! ```no_run
//! use bw56_life::cli::{self, Defaults, LifeArgs};
//!
//! #[derive(clap::Parser)]
//! struct Cli {
//!     #[command(flatten)]
//!     life: LifeArgs,
//!     /// Pool size.
//!     #[arg(long, default_value_t = 10)]
//!     workers: usize,
//! }
//!
//! let cli: Cli = cli::parse(&Defaults {
//!     height: 100,
//!     width: 100,
//!     generations: 1,
//!     seed: Some(7),
//!     latency: "1ms",
//!     strategies: &["pipeline", "pool"],
//! });
//! let grid = cli.life.grid().expect("a valid grid");
//! ```

use std::time::Duration;

use clap::builder::PossibleValuesParser;
use clap::{CommandFactory, FromArgMatches};

use crate::grid::Grid;
use crate::io::{CellIo, SimulationError};
use crate::simulate::{Strategy, run};

/// The largest grid the command line accepts, in cells (64 Mi): big enough
/// for every lesson's largest run, small enough to fail with a message
/// instead of exhausting memory.
pub const MAX_CELLS: usize = 1 << 26;

/// The flags shared by every Life binary.
#[derive(clap::Args, Clone, Debug)]
pub struct LifeArgs {
    /// Rows of the grid (at least 1).
    #[arg(long, value_parser = parse_side)]
    pub height: usize,

    /// Columns of the grid (at least 1).
    #[arg(long, value_parser = parse_side)]
    pub width: usize,

    /// Generations to compute; the result is the grid after that many steps.
    #[arg(long)]
    pub generations: usize,

    /// Seed of the random soup; without one the grid holds the book's glider.
    #[arg(long)]
    pub seed: Option<u32>,

    /// Latency of each cell's I/O, like 0, 500us, 1ms.
    #[arg(long, value_parser = course_support::parse_duration)]
    pub latency: Duration,

    /// Run only this strategy.
    #[arg(long)]
    pub strategy: Option<String>,

    /// Keep the grid small with `--trace`: every cell's I/O is a span.
    #[command(flatten)]
    pub trace: course_support::timeline::TraceArgs,
}

/// The most worker threads `--workers` accepts: a pool or a pipeline is
/// meant to be a small, fixed number of threads.
pub const MAX_WORKERS: usize = 1000;

/// `--workers N`, shared by the binaries whose strategies keep a fixed number
/// of worker threads (the pipeline, the pool). Flatten it next to
/// [`LifeArgs`].
#[derive(clap::Args, Clone, Copy, Debug)]
pub struct WorkersArgs {
    /// Worker threads of the pool or pipeline (1 to 1000).
    #[arg(long, default_value_t = 10, value_parser = parse_workers)]
    pub workers: usize,
}

/// One binary's defaults for the shared flags, and the strategies it knows.
#[derive(Clone, Copy, Debug)]
pub struct Defaults {
    /// Default `--height`.
    pub height: usize,
    /// Default `--width`.
    pub width: usize,
    /// Default `--generations`.
    pub generations: usize,
    /// Default `--seed`; `None` starts from the glider.
    pub seed: Option<u32>,
    /// Default `--latency`, as typed on the command line.
    pub latency: &'static str,
    /// The names `--strategy` accepts in this binary.
    pub strategies: &'static [&'static str],
}

/// Parses the process's arguments into `T`, which flattens [`LifeArgs`],
/// with this binary's defaults. On bad input it prints clap's message (which
/// names the flag and what it expected) and exits with status 2.
pub fn parse<T: CommandFactory + FromArgMatches>(defaults: &Defaults) -> T {
    let mut command = T::command()
        .mut_arg("height", |a| {
            a.default_value(defaults.height.to_string()).required(false)
        })
        .mut_arg("width", |a| {
            a.default_value(defaults.width.to_string()).required(false)
        })
        .mut_arg("generations", |a| {
            a.default_value(defaults.generations.to_string())
                .required(false)
        })
        .mut_arg("latency", |a| {
            a.default_value(defaults.latency).required(false)
        })
        .mut_arg("strategy", |a| {
            a.value_parser(PossibleValuesParser::new(
                defaults.strategies.iter().copied(),
            ))
        });
    if let Some(seed) = defaults.seed {
        command = command.mut_arg("seed", |a| a.default_value(seed.to_string()));
    }
    let matches = command.get_matches();
    T::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

impl LifeArgs {
    /// The starting grid: the seeded soup, or the glider when no seed is
    /// given. Fails with a message when the grid is too large, or too small
    /// to hold the glider.
    pub fn grid(&self) -> anyhow::Result<Grid> {
        let cells = self.height.saturating_mul(self.width);
        anyhow::ensure!(
            cells <= MAX_CELLS,
            "a {}x{} grid has {cells} cells; at most {MAX_CELLS} are supported",
            self.height,
            self.width
        );
        match self.seed {
            Some(seed) => Ok(Grid::soup(self.height, self.width, seed)),
            None => Grid::with_glider(self.height, self.width).ok_or_else(|| {
                anyhow::anyhow!(
                    "a {}x{} grid is too small for the glider (it needs at least 3x5); \
                     pass --seed N for a random grid instead",
                    self.height,
                    self.width
                )
            }),
        }
    }

    /// Whether the strategy called `name` should run (all run without
    /// `--strategy`).
    pub fn runs(&self, name: &str) -> bool {
        self.strategy.as_deref().is_none_or(|s| s == name)
    }

    /// A one-line description of the workload, for the demo's header.
    pub fn describe(&self) -> String {
        let start = match self.seed {
            Some(seed) => format!("soup seed {seed}"),
            None => "glider".to_owned(),
        };
        format!(
            "grid: {}x{} {start} | generations: {} | latency: {}",
            self.height,
            self.width,
            self.generations,
            fmt_latency(self.latency)
        )
    }
}

/// A latency as the command line writes it: `0`, `500us`, `1ms`.
pub fn fmt_latency(latency: Duration) -> String {
    if latency.is_zero() {
        "0".to_owned()
    } else {
        humantime_like(latency)
    }
}

fn humantime_like(d: Duration) -> String {
    let nanos = d.as_nanos();
    if nanos.is_multiple_of(1_000_000_000) {
        format!("{}s", nanos / 1_000_000_000)
    } else if nanos.is_multiple_of(1_000_000) {
        format!("{}ms", nanos / 1_000_000)
    } else if nanos.is_multiple_of(1_000) {
        format!("{}us", nanos / 1_000)
    } else {
        format!("{nanos}ns")
    }
}

/// The command-line arguments of the course's cross-lesson check: every Life
/// strategy of every lesson must end this run with [`REFERENCE_FINAL`].
pub const REFERENCE_ARGS: [&str; 8] = [
    "--height",
    "37",
    "--width",
    "23",
    "--generations",
    "7",
    "--seed",
    "99",
];

/// Generations of the reference run.
pub const REFERENCE_GENERATIONS: usize = 7;

/// The `final:` line of the reference run. It was computed by a separate
/// implementation (a few lines of Python: the soup, the rules on a torus,
/// FNV-1a), not by this crate, so a shared bug cannot hide here.
pub const REFERENCE_FINAL: &str = "final: alive=190 fnv1a=a320dfd3bcb759e5";

/// The starting grid of the reference run: the 37×23 soup of seed 99.
pub fn reference_grid() -> Grid {
    Grid::soup(37, 23, 99)
}

/// Runs `strategy` over the reference run with `io` and returns the `final:`
/// line it ends with, to compare with [`REFERENCE_FINAL`].
pub fn reference_final_line(
    strategy: &mut dyn Strategy,
    io: &CellIo,
) -> Result<String, SimulationError> {
    let last = run(strategy, &reference_grid(), REFERENCE_GENERATIONS, io)?;
    Ok(final_line(&last))
}

/// The line every Life demo prints for each strategy it runs:
/// `final: alive=<count> fnv1a=<16 hex digits>`.
pub fn final_line(grid: &Grid) -> String {
    format!("final: {}", summary(grid))
}

/// A grid in one short phrase: `alive=<count> fnv1a=<16 hex digits>`.
pub fn summary(grid: &Grid) -> String {
    format!("alive={} fnv1a={:016x}", grid.alive(), grid.fingerprint())
}

fn parse_workers(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(0) => Err("must be at least 1: a pool or pipeline needs a worker".to_owned()),
        Ok(n) if n > MAX_WORKERS => Err(format!(
            "{n} is more than {MAX_WORKERS}; a pool's point is a small, fixed number of threads"
        )),
        Ok(n) => Ok(n),
        Err(e) => Err(format!("{text:?} is not a whole number of workers: {e}")),
    }
}

fn parse_side(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(0) => Err("must be at least 1: a grid needs at least one row and one column".to_owned()),
        Ok(n) => Ok(n),
        Err(e) => Err(format!("{text:?} is not a whole number of cells: {e}")),
    }
}
