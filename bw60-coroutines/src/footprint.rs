//! What one generation costs per cell in time and memory — measured in a
//! fresh child process, so one measurement cannot hide behind another.
//!
//! The peak resident memory of a process only says something about a
//! generation if the generation is what made it grow. Within one process
//! that is hard to arrange: memory freed by an earlier run usually stays
//! resident (the allocator keeps it for reuse, a runtime keeps its grown
//! queues), so a second run reuses it and *appears* to cost nothing. Here
//! each figure therefore comes from a new process — this crate's own demo
//! binary, started with a hidden flag — that builds the grid and the runtime,
//! starts a [`course_support::memory::Phase`] (which resets the peak on Linux;
//! elsewhere the generation's peak is the first to rise above the small
//! set-up), runs the generation, and prints one [`Footprint`] line for the
//! parent to read. On Windows, which gives no memory figures, the line says
//! `unknown` and only the time is reported.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, bail, ensure};
use bw56_life::cli::fmt_latency;
use bw56_life::{CellIo, Grid, Serial, Strategy};
use course_support::memory;

use crate::simulate::{CellStep, Fanout};
use crate::strategy::async_strategy;

/// The hidden flag that turns the demo binary into a footprint probe.
pub const PROBE_FLAG: &str = "footprint-probe";

/// What a probe line says for a peak it could not measure.
const UNKNOWN: &str = "unknown";

/// The seed of every probe's grid.
const PROBE_SEED: u32 = 1;

/// One strategy's cost for one generation of `cells` cells.
#[derive(Clone, Debug, PartialEq)]
pub struct Footprint {
    /// The strategy's name, as [`Strategy::name`] gives it.
    pub strategy: String,
    /// Cells in the grid.
    pub cells: usize,
    /// The fastest of the measured generations.
    pub elapsed: Duration,
    /// How far the peak resident memory rose above what the process held
    /// just before the first generation (grid and runtime already built);
    /// `None` where it could not be measured.
    pub peak_growth_kib: Option<u64>,
}

impl Footprint {
    /// Peak memory growth divided by the cells: what each cell's future (and
    /// task, if spawned) cost at the moment they all existed at once.
    pub fn bytes_per_cell(&self) -> Option<f64> {
        self.peak_growth_kib
            .map(|kib| kib as f64 * 1024.0 / self.cells.max(1) as f64)
    }

    /// The line a probe prints: `footprint: strategy=.. cells=.. elapsed_ns=..
    /// peak_growth_kib=..`, the last a number or `unknown`.
    pub fn to_line(&self) -> String {
        format!(
            "footprint: strategy={} cells={} elapsed_ns={} peak_growth_kib={}",
            self.strategy,
            self.cells,
            self.elapsed.as_nanos(),
            self.peak_growth_kib
                .map_or_else(|| UNKNOWN.to_owned(), |kib| kib.to_string())
        )
    }

    /// Reads a line written by [`Footprint::to_line`].
    pub fn parse(line: &str) -> anyhow::Result<Self> {
        let fields = line
            .strip_prefix("footprint: ")
            .with_context(|| format!("not a footprint line: {line:?}"))?;
        let field = |name: &str| -> anyhow::Result<&str> {
            fields
                .split(' ')
                .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
                .with_context(|| format!("no {name}= in {line:?}"))
        };
        let number = |name: &str| -> anyhow::Result<u64> {
            field(name)?
                .parse()
                .with_context(|| format!("{name} in {line:?} is not a number"))
        };
        Ok(Self {
            strategy: field("strategy")?.to_owned(),
            cells: usize::try_from(number("cells")?)?,
            elapsed: Duration::from_nanos(number("elapsed_ns")?),
            peak_growth_kib: match field("peak_growth_kib")? {
                UNKNOWN => None,
                _ => Some(number("peak_growth_kib")?),
            },
        })
    }
}

/// Runs `runs` generations of `strategy` from `grid` *in this process* and
/// measures them; every result is checked against `expected` first.
///
/// The memory figure is only meaningful in a process that has not run a
/// large generation before, which is what [`probe_in_child`] arranges.
pub fn measure_here(
    strategy: &mut dyn Strategy,
    grid: &Grid,
    io: &CellIo,
    expected: &Grid,
    runs: usize,
) -> anyhow::Result<Footprint> {
    ensure!(runs > 0, "at least one run is needed");
    let phase = memory::Phase::start_if_available().context("reading the memory")?;
    let mut fastest = Duration::MAX;
    for _ in 0..runs {
        let (next, elapsed) = course_support::timed(|| strategy.step(grid, io));
        let next = next.with_context(|| format!("{} failed", strategy.name()))?;
        ensure!(
            next == *expected,
            "{} computed a different grid than the serial rules",
            strategy.name()
        );
        fastest = fastest.min(elapsed);
    }
    let peak_growth_kib = match phase {
        Some(phase) => phase.peak_growth_kib().context("reading the peak memory")?,
        None => None,
    };
    Ok(Footprint {
        strategy: strategy.name(),
        cells: grid.len(),
        elapsed: fastest,
        peak_growth_kib,
    })
}

/// The probe's side: builds the seeded `height × width` grid, the expected
/// next generation (serial rules, no I/O) and the async strategy `name`, then
/// measures it with [`measure_here`] and prints the [`Footprint`] line.
pub fn run_probe(
    name: &str,
    fanout: Fanout,
    height: usize,
    width: usize,
    latency: Duration,
    runs: usize,
) -> anyhow::Result<()> {
    let grid = Grid::soup(height, width, PROBE_SEED);
    let expected = Serial
        .step(&grid, &CellIo::none())
        .context("the serial rules failed")?;
    let mut strategy = async_strategy(name, fanout, CellStep::default())?;
    let footprint = measure_here(
        strategy.as_mut(),
        &grid,
        &CellIo::new(latency),
        &expected,
        runs,
    )?;
    println!("{}", footprint.to_line());
    Ok(())
}

/// Runs a probe of the async strategy `name` in a new process of `exe` (the
/// demo binary) and returns what it measured.
pub fn probe_in_child(
    exe: &Path,
    name: &str,
    fanout: Fanout,
    (height, width): (usize, usize),
    latency: Duration,
    runs: usize,
) -> anyhow::Result<Footprint> {
    let output = Command::new(exe)
        .arg(format!("--{PROBE_FLAG}"))
        .args(["--strategy", name])
        .args(["--fanout", fanout.name()])
        .args(["--height", &height.to_string()])
        .args(["--width", &width.to_string()])
        .args(["--latency", &fmt_latency(latency)])
        .args(["--runs", &runs.to_string()])
        .output()
        .with_context(|| format!("starting {}", exe.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!(
            "the {name} probe failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let line = stdout
        .lines()
        .find(|line| line.starts_with("footprint: "))
        .with_context(|| format!("the {name} probe printed no footprint line: {stdout:?}"))?;
    Footprint::parse(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn footprint_lines_round_trip() {
        let footprint = Footprint {
            strategy: "tokio+join".to_owned(),
            cells: 1_000_000,
            elapsed: Duration::from_nanos(512_345_678),
            peak_growth_kib: Some(455_124),
        };
        assert_eq!(
            Footprint::parse(&footprint.to_line()).ok(),
            Some(footprint.clone())
        );
        let unmeasured = Footprint {
            peak_growth_kib: None,
            ..footprint
        };
        assert!(unmeasured.to_line().ends_with("peak_growth_kib=unknown"));
        assert_eq!(
            Footprint::parse(&unmeasured.to_line()).ok(),
            Some(unmeasured)
        );
    }

    #[test]
    fn malformed_lines_name_what_is_missing() {
        let err = Footprint::parse("footprint: strategy=tokio cells=10")
            .expect_err("elapsed_ns is missing");
        assert!(err.to_string().contains("elapsed_ns"), "{err}");
    }
}
