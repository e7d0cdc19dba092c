//! Draws the course's pictures from real runs, as SVG files checked in
//! beside the READMEs that show them:
//!
//! - `timelines`: each lesson's drawn run (`bwNN::drawing()`, the same runs
//!   its demo prints as lane charts) as `<lesson>/timeline.svg`;
//! - `scaling`: items 56–60 on the same grids, seconds per generation
//!   against cells on log–log axes, as `pictures/scaling.svg`; the Rust
//!   series are measured now (bw60's series) and written to
//!   `pictures/data/rust-life.csv`, the Python series are read from
//!   `pictures/data/python-life.csv` (measured by `pictures/python/life.py`).
//!
//! Run it from the workspace root: `cargo run -p course-pictures` (both), or
//! `cargo run -p course-pictures -- timelines` / `-- scaling`. The machine
//! should be otherwise idle: the pictures show real timings.

mod scaling;
mod timeline_svg;

use std::path::{Path, PathBuf};

use anyhow::Context;
use course_support::timeline::Drawing;

#[derive(clap::Parser)]
#[command(about = "Draws the course's pictures (SVG) from real runs")]
struct Cli {
    /// What to draw: `timelines`, `scaling`, or both when left out.
    what: Option<What>,

    /// The workspace root, where the lessons' directories are.
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum What {
    Timelines,
    Scaling,
}

/// A lesson's drawn run: its directory and the function that runs it.
type Lesson = (&'static str, fn() -> anyhow::Result<Drawing>);

/// The lessons whose README shows a timeline.
const LESSONS: &[Lesson] = &[
    ("bw53-thread-io", bw53_thread_io::drawing),
    ("bw55-queue", bw55_queue::drawing),
    ("bw57-fanout", bw57_fanout::drawing),
    ("bw58-refactor", bw58_refactor::drawing),
    ("bw59-threadpool", bw59_threadpool::drawing),
    ("bw60-coroutines", bw60_coroutines::drawing),
    ("bw63-nonblocking", bw63_nonblocking::drawing),
    ("bw64-parallel", bw64_parallel::drawing),
];

fn main() -> anyhow::Result<()> {
    let cli: Cli = clap::Parser::parse();
    let root = &cli.root;
    anyhow::ensure!(
        root.join("Cargo.toml").is_file() && root.join("pictures").is_dir(),
        "{} is not the workspace root (run from it, or give --root)",
        root.display()
    );
    course_support::banner("course-pictures: the READMEs' pictures, drawn from real runs");
    if cli.what != Some(What::Scaling) {
        for (lesson, drawing) in LESSONS {
            let drawing = drawing().with_context(|| format!("running {lesson}'s drawn run"))?;
            let path = root.join(lesson).join("timeline.svg");
            timeline_svg::draw(&drawing, &path)?;
            say_written(&path);
        }
    }
    if cli.what != Some(What::Timelines) {
        let written = scaling::measure_and_draw(root)?;
        for path in written {
            say_written(&path);
        }
    }
    Ok(())
}

fn say_written(path: &Path) {
    println!("wrote {}", path.display());
}

#[cfg(test)]
mod tests {
    use super::LESSONS;
    use std::path::Path;

    /// Every drawn lesson has its picture checked in, and its README shows it
    /// and says how to draw it again.
    #[test]
    fn every_timeline_is_checked_in_and_shown() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for (lesson, _) in LESSONS {
            let dir = root.join(lesson);
            assert!(
                dir.join("timeline.svg").is_file(),
                "{lesson}/timeline.svg is missing"
            );
            let readme = std::fs::read_to_string(dir.join("README.md")).expect("a README");
            assert!(
                readme.contains("](timeline.svg)"),
                "{lesson}'s README does not show timeline.svg"
            );
            assert!(
                readme.contains("cargo run -p course-pictures"),
                "{lesson}'s README does not say how to draw it again"
            );
        }
        assert!(root.join("pictures/scaling.svg").is_file());
        let readme = std::fs::read_to_string(root.join("README.md")).expect("the root README");
        assert!(
            readme.contains("](pictures/scaling.svg)"),
            "the root README does not show the plot"
        );
    }
}
