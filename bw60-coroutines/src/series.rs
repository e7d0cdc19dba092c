//! The whole series side by side: items 56–60 on the same grids.
//!
//! Every Life lesson implements the same [`Strategy`], so one loop can time
//! them all on the same grids. Each strategy runs up to the size where it
//! still finishes in a reasonable time; past it the table shows a dash and
//! the time it would take where that is predictable (serial: `cells ×
//! latency`; a fixed set of `workers` threads: `cells / workers × latency`).

use std::io;
use std::time::Duration;

use anyhow::{Context, ensure};
use bw56_life::measure::{pool_io_limit, serial_io_time};
use bw56_life::{CellIo, Grid, Serial, Strategy};
use bw57_fanout::ThreadPerCell;
use bw58_refactor::Pipeline;
use bw59_threadpool::PoolStrategy;

use crate::simulate::{CellStep, Fanout};
use crate::strategy::async_strategy;

/// The grid sizes of the table: 100, 1,000, 10,000 and 100,000 cells, and
/// with `--scale` 1,000,000.
pub const SIZES: [(usize, usize); 5] = [(10, 10), (25, 40), (100, 100), (250, 400), (1000, 1000)];

/// The seed of every grid in the table.
const SEED: u32 = 1;

/// How a strategy of the series is built for one run.
type Make = Box<dyn Fn() -> io::Result<Box<dyn Strategy>>>;

/// One strategy of the series and the largest grid it is run on.
pub struct Contender {
    /// The lesson it comes from, e.g. `item 59`.
    pub item: &'static str,
    /// Builds a fresh strategy (and its threads or runtime) for one run.
    make: Make,
    /// The largest grid, in cells, it is run on.
    pub max_cells: usize,
    /// How long it would take for `cells` cells with `io`, if predictable.
    predict: fn(cells: usize, workers: usize, io: &CellIo) -> Option<Duration>,
}

impl std::fmt::Debug for Contender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Contender")
            .field("item", &self.item)
            .field("max_cells", &self.max_cells)
            .finish_non_exhaustive()
    }
}

/// The series: serial (56), a thread per cell (57), the queue pipeline (58),
/// the pool (59) and tokio (60). `scale` raises every limit by 10×.
///
/// The default limits keep the table under about a second of I/O: the
/// serial loop stops at 100 cells (0.1 s), the fixed-size pipeline and pool
/// at 1,000 (0.1 s each), and a thread per cell at 1,000 threads.
pub fn contenders(workers: usize, scale: bool) -> Vec<Contender> {
    let factor = if scale { 10 } else { 1 };
    vec![
        Contender {
            item: "item 56",
            make: Box::new(|| Ok(Box::new(Serial))),
            max_cells: 100 * factor,
            predict: |cells, _, io| Some(serial_io_time(cells, 1, io)),
        },
        Contender {
            item: "item 57",
            make: Box::new(|| Ok(Box::new(ThreadPerCell::default()))),
            max_cells: 1_000 * factor,
            predict: |_, _, _| None,
        },
        Contender {
            item: "item 58",
            make: Box::new(move || Ok(Box::new(Pipeline::new(workers)))),
            max_cells: 1_000 * factor,
            predict: |cells, workers, io| Some(pool_io_limit(cells, workers, 1, io)),
        },
        Contender {
            item: "item 59",
            make: Box::new(move || Ok(Box::new(PoolStrategy::new(workers)?))),
            max_cells: 1_000 * factor,
            predict: |cells, workers, io| Some(pool_io_limit(cells, workers, 1, io)),
        },
        Contender {
            item: "item 60",
            make: Box::new(|| async_strategy("tokio", Fanout::default(), CellStep::default())),
            max_cells: 100_000 * factor,
            predict: |_, _, _| None,
        },
    ]
}

/// One cell of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// Ran, in this time.
    Ran(Duration),
    /// Not run; it would take about this long, if that is predictable.
    Skipped(Option<Duration>),
}

/// One strategy's line of the table.
#[derive(Clone, Debug)]
pub struct Row {
    /// The strategy's name, e.g. `pool(10)`.
    pub name: String,
    /// The lesson it comes from.
    pub item: &'static str,
    /// One entry per size.
    pub entries: Vec<Entry>,
}

/// Runs every contender for one generation on every size it accepts, and
/// checks each result against the serial rules computed without I/O before
/// keeping its time.
pub fn run_series(
    contenders: &[Contender],
    sizes: &[(usize, usize)],
    workers: usize,
    io: &CellIo,
) -> anyhow::Result<Vec<Row>> {
    let grids: Vec<(Grid, Grid)> = sizes
        .iter()
        .map(|&(height, width)| {
            let grid = Grid::soup(height, width, SEED);
            // What every strategy must produce: the rules alone, no I/O.
            let expected = Serial.step(&grid, &CellIo::none())?;
            Ok((grid, expected))
        })
        .collect::<Result<_, bw56_life::SimulationError>>()
        .context("the serial rules failed")?;
    let mut rows = Vec::with_capacity(contenders.len());
    for contender in contenders {
        let mut name = None;
        let mut entries = Vec::with_capacity(grids.len());
        for (grid, expected) in &grids {
            if grid.len() > contender.max_cells {
                entries.push(Entry::Skipped((contender.predict)(grid.len(), workers, io)));
                continue;
            }
            // A fresh strategy per run, dropped right after it: threads and
            // runtimes of one run do not linger into the next.
            let mut strategy = (contender.make)()
                .with_context(|| format!("starting the {} strategy", contender.item))?;
            let (next, elapsed) = course_support::timed(|| strategy.step(grid, io));
            let next = next.with_context(|| format!("{} failed", strategy.name()))?;
            ensure!(
                next == *expected,
                "{} disagrees with the serial rules on {} cells",
                strategy.name(),
                grid.len()
            );
            name.get_or_insert_with(|| strategy.name());
            entries.push(Entry::Ran(elapsed));
        }
        rows.push(Row {
            name: name.unwrap_or_else(|| contender.item.to_owned()),
            item: contender.item,
            entries,
        });
    }
    Ok(rows)
}
