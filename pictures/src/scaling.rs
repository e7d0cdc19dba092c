//! The scaling plot of items 56–60: seconds per generation against cells,
//! log–log, for serial, a thread per cell, pipeline(10), pool(10) and tokio
//! — measured now in Rust, beside the book's Python measured earlier.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use bw56_life::CellIo;
use bw60_coroutines::series::{self, Entry};
use plotters::prelude::*;

/// Workers of the pipeline and the pool, as in the lessons' figures.
const WORKERS: usize = 10;
/// Each cell's I/O, as in the lessons' figures.
const LATENCY: Duration = Duration::from_millis(1);

/// One point of a series.
#[derive(Debug, Clone, PartialEq)]
struct Point {
    strategy: String,
    cells: usize,
    seconds: f64,
}

/// A strategy of the series: its name in the data files, its name in the
/// legend for Rust and for Python, and its colour.
struct Series {
    item: &'static str,
    key: &'static str,
    rust: &'static str,
    python: &'static str,
    colour: RGBColor,
}

/// The series, in the order of the chapter (items 56 to 60).
const STRATEGIES: [Series; 5] = [
    Series {
        item: "item 56",
        key: "serial",
        rust: "serial",
        python: "serial",
        colour: RGBColor(120, 120, 120),
    },
    Series {
        item: "item 57",
        key: "thread per cell",
        rust: "thread per cell",
        python: "thread per cell",
        colour: RGBColor(214, 96, 77),
    },
    Series {
        item: "item 58",
        key: "pipeline(10)",
        rust: "pipeline(10), crossbeam channels",
        python: "pipeline(10), Queue",
        colour: RGBColor(153, 112, 171),
    },
    Series {
        item: "item 59",
        key: "pool(10)",
        rust: "pool(10)",
        python: "ThreadPoolExecutor(10)",
        colour: RGBColor(67, 147, 195),
    },
    Series {
        item: "item 60",
        key: "coroutines",
        rust: "tokio",
        python: "asyncio",
        colour: RGBColor(90, 174, 97),
    },
];

/// Measures the Rust series, writes them to `pictures/data/rust-life.csv`,
/// reads the Python ones and draws `pictures/scaling.svg`. Returns the files
/// written.
pub(crate) fn measure_and_draw(root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let io = CellIo::new(LATENCY);
    let contenders = series::contenders(WORKERS, true);
    println!("measuring items 56-60 on 100 to 1,000,000 cells, {LATENCY:?} of I/O per cell...");
    let rows = series::run_series(&contenders, &series::SIZES, WORKERS, &io)?;
    let mut rust = Vec::new();
    for (row, series) in rows.iter().zip(&STRATEGIES) {
        anyhow::ensure!(
            row.item == series.item,
            "the series is not in the chapter's order"
        );
        for (entry, (height, width)) in row.entries.iter().zip(series::SIZES) {
            if let Entry::Ran(elapsed) = entry {
                rust.push(Point {
                    strategy: series.key.to_owned(),
                    cells: height * width,
                    seconds: elapsed.as_secs_f64(),
                });
            }
        }
    }
    let data = root.join("pictures/data");
    let rust_csv = data.join("rust-life.csv");
    write_points(&rust_csv, &rust)?;
    let python_csv = data.join("python-life.csv");
    let python = read_points(&python_csv)?;
    let svg = root.join("pictures/scaling.svg");
    draw(&rust, &python, &svg)?;
    Ok(vec![rust_csv, svg])
}

fn write_points(path: &Path, points: &[Point]) -> anyhow::Result<()> {
    let mut text = String::from("strategy,cells,seconds\n");
    let _ = writeln!(
        text,
        "# measured by `cargo run -p course-pictures -- scaling` ({}), {} cores; one run per point",
        course_support::build_profile(),
        course_support::cores()
    );
    for p in points {
        let _ = writeln!(text, "{},{},{:.6}", p.strategy, p.cells, p.seconds);
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// Reads `strategy,cells,seconds` lines (after a header), skipping lines
/// that start with `#`.
fn read_points(path: &Path) -> anyhow::Result<Vec<Point>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    parse_points(&text).with_context(|| format!("in {}", path.display()))
}

fn parse_points(text: &str) -> anyhow::Result<Vec<Point>> {
    let known: Vec<&str> = STRATEGIES.iter().map(|s| s.key).collect();
    let mut points = Vec::new();
    for (number, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split(',').collect();
        let [strategy, cells, seconds] = fields[..] else {
            bail!(
                "line {}: expected strategy,cells,seconds: {line:?}",
                number + 1
            );
        };
        if !known.contains(&strategy) {
            bail!(
                "line {}: unknown strategy {strategy:?} (known: {known:?})",
                number + 1
            );
        }
        points.push(Point {
            strategy: strategy.to_owned(),
            cells: cells
                .trim()
                .parse()
                .with_context(|| format!("line {}: cells {cells:?}", number + 1))?,
            seconds: seconds
                .trim()
                .parse()
                .with_context(|| format!("line {}: seconds {seconds:?}", number + 1))?,
        });
    }
    Ok(points)
}

/// The log–log plot: a solid line per Rust series, a dashed one per Python
/// series, one colour per strategy.
fn draw(rust: &[Point], python: &[Point], path: &Path) -> anyhow::Result<()> {
    let area = SVGBackend::new(path, (900, 680)).into_drawing_area();
    area.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&area)
        .caption(
            "One generation of Life with 1 ms of I/O per cell: Rust (solid) and Python (dashed)",
            ("sans-serif", 22),
        )
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(70)
        .build_cartesian_2d((50f64..2e6).log_scale(), (0.8e-3f64..200.0).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("cells")
        .y_desc("seconds per generation")
        .x_label_formatter(&|x| format_count(*x))
        .y_label_formatter(&|y| format_seconds(*y))
        .label_style(("sans-serif", 16))
        .axis_desc_style(("sans-serif", 17))
        .draw()?;
    for series in &STRATEGIES {
        let colour = series.colour;
        let points_of = |points: &[Point]| -> Vec<(f64, f64)> {
            points
                .iter()
                .filter(|p| p.strategy == series.key)
                .map(|p| (p.cells as f64, p.seconds))
                .collect()
        };
        let ours = points_of(rust);
        chart
            .draw_series(LineSeries::new(ours.clone(), colour.stroke_width(2)))?
            .label(format!("Rust: {}", series.rust))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
            });
        chart.draw_series(ours.iter().map(|&p| Circle::new(p, 3, colour.filled())))?;
        let theirs = points_of(python);
        if !theirs.is_empty() {
            chart
                .draw_series(DashedLineSeries::new(
                    theirs.clone(),
                    6,
                    4,
                    colour.stroke_width(2),
                ))?
                .label(format!("Python: {}", series.python))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 8, y)], colour.stroke_width(2))
                });
            chart.draw_series(
                theirs
                    .iter()
                    .map(|&p| TriangleMarker::new(p, 4, colour.filled())),
            )?;
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.3))
        .label_font(("sans-serif", 15))
        .draw()?;
    area.present()
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// 100, 1k, 10k, 100k, 1M.
fn format_count(cells: f64) -> String {
    match cells {
        c if c >= 1e6 => format!("{}M", c / 1e6),
        c if c >= 1e3 => format!("{}k", c / 1e3),
        c => format!("{c}"),
    }
}

/// 1 ms, 10 ms, 100 ms, 1 s, 10 s: the log axis's round values.
fn format_seconds(seconds: f64) -> String {
    if seconds >= 1.0 {
        format!("{} s", seconds.round())
    } else {
        format!("{} ms", (seconds * 1e3).round())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_are_read_strictly() {
        let points = parse_points("strategy,cells,seconds\n# a comment\ncoroutines,100,0.0013\n")
            .expect("a valid file");
        assert_eq!(
            points,
            [Point {
                strategy: "coroutines".to_owned(),
                cells: 100,
                seconds: 0.0013
            }]
        );
        let error = parse_points("strategy,cells,seconds\ngevent,100,1\n").expect_err("unknown");
        assert!(
            error.to_string().contains("unknown strategy \"gevent\""),
            "{error}"
        );
        let error = parse_points("h\nserial,many,1\n").expect_err("not a number");
        assert!(
            format!("{error:#}").contains("line 2: cells \"many\""),
            "{error:#}"
        );
    }
}
