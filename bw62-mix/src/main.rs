//! The narrated demo of item 62: four versions of a log merger, verified and
//! timed on the book's scenario, on many files and on a burst; then the
//! book's shutdown losing lines.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use bw62_mix::probe::{ThreadPeak, os_threads};
use bw62_mix::{MergeRun, Shutdown, Version, Workload, run_merge, verify};
use clap::Parser;
use course_support::timeline::{Lanes, TraceArgs};
use course_support::{fmt_duration, parse_duration, threads};

#[derive(Parser)]
#[command(
    about = "Item 62: mix threads and coroutines to ease the transition to async (tail files into one)"
)]
struct Cli {
    /// Files written and tailed in the book's scenario.
    #[arg(long, default_value_t = 5)]
    files: usize,
    /// Lines per file in the book's scenario.
    #[arg(long, default_value_t = 10)]
    lines: usize,
    /// Upper bound of the writers' random pause before each line.
    #[arg(long, default_value = "30ms", value_parser = parse_duration)]
    max_delay: Duration,
    /// How long an idle tailer waits before reading again.
    #[arg(long, default_value = "10ms", value_parser = parse_duration)]
    interval: Duration,
    /// Seed of the writers' random streams.
    #[arg(long, default_value_t = 62)]
    seed: u64,
    /// Files in the many-files run (4 slow lines each); 0 skips it.
    #[arg(long, default_value_t = 50)]
    many_files: usize,
    /// Files in the burst (written with no pause); 0 skips the burst.
    #[arg(long, default_value_t = 20)]
    burst_files: usize,
    /// Lines per file in the burst.
    #[arg(long, default_value_t = 2_000)]
    burst_lines: usize,
    /// When the book-style shutdown stops the tailers, counted from the start.
    #[arg(long, default_value = "50ms", value_parser = parse_duration)]
    deadline: Duration,
    /// Run one version only: threads, mixed, tasks or bottom-up.
    #[arg(long)]
    version: Option<Version>,
    #[command(flatten)]
    trace: TraceArgs,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if cli.files == 0 || cli.lines == 0 {
        bail!(
            "--files and --lines must be at least 1 (got {} and {})",
            cli.files,
            cli.lines
        );
    }
    if cli.interval.is_zero() {
        bail!("--interval must be positive (an idle tailer would spin), e.g. 10ms");
    }
    // Before any work, so a trace file that cannot be written stops the run
    // before a file is written or tailed. A lane per top-level span: per
    // tailer, whether a thread, a blocking-pool thread or a task runs it.
    let tracing = cli.trace.install(Lanes::Tasks)?;
    let versions: Vec<Version> = cli.version.map_or(Version::ALL.to_vec(), |v| vec![v]);
    let scratch = tempfile::tempdir().context("cannot create a temporary directory")?;

    course_support::banner("bw62-mix: mix threads and coroutines to ease the transition to async");
    let book = Workload {
        files: cli.files,
        lines: cli.lines,
        max_delay: cli.max_delay,
        seed: cli.seed,
    };
    println!(
        "writers: a random pause < {} before each line (seed {}) | tailers poll every {}",
        fmt_duration(book.max_delay),
        book.seed,
        fmt_duration(cli.interval)
    );

    println!(
        "\n[1/4] the book's scenario: {} files x {} lines; stop after the writers are joined",
        book.files, book.lines
    );
    let runs = run_all(&versions, &book, cli.interval, scratch.path(), "book")?;
    println!(
        "  {:<10} {:>6} {:>10} {:>9}   what changed",
        "version", "lines", "elapsed", "drain"
    );
    for (run, _) in &runs {
        println!(
            "  {:<10} {:>6} {:>10} {:>9}   {}",
            run.version.name(),
            run.lines,
            fmt_duration(run.elapsed),
            fmt_duration(run.drain),
            run.version.describe()
        );
    }
    println!(
        "  elapsed: mostly the writers' pauses | drain: from the stop signal to the last tailer done"
    );

    if cli.many_files > 0 {
        // Few lines each: the point is how many tailers wait, not for how long.
        let many = Workload {
            files: cli.many_files,
            lines: 4,
            ..book.clone()
        };
        println!(
            "\n[2/4] many files: {} files x {} lines, the tailers idle most of the time",
            many.files, many.lines
        );
        let runs = run_all(&versions, &many, cli.interval, scratch.path(), "many")?;
        println!("  {:<10} {:>10} {:>8}", "version", "elapsed", "threads");
        for (run, threads) in &runs {
            println!(
                "  {:<10} {:>10} {:>8}",
                run.version.name(),
                fmt_duration(run.elapsed),
                threads.map_or_else(|| "-".to_owned(), |n| n.to_string())
            );
        }
        if threads::AVAILABLE {
            println!(
                "  threads: peak OS threads the merge added (sampled every 1 ms; writers and closer not counted)"
            );
        } else {
            println!(
                "  threads: {}",
                course_support::skipped("this system gives the course no thread count")
            );
        }
    } else {
        println!("\n[2/4] (many-files run skipped)");
    }

    if cli.burst_files > 0 && cli.burst_lines > 0 {
        let burst = Workload {
            files: cli.burst_files,
            lines: cli.burst_lines,
            max_delay: Duration::ZERO,
            seed: cli.seed,
        };
        println!(
            "\n[3/4] a burst: {} files x {} lines written with no pause, right up to the stop signal",
            burst.files, burst.lines
        );
        let runs = run_all(&versions, &burst, cli.interval, scratch.path(), "burst")?;
        let baseline = &runs[0].0;
        println!(
            "  {:<10} {:>8} {:>10} {:>11} {:>16}",
            "version",
            "lines",
            "elapsed",
            "lines/s",
            format!("time vs {}", baseline.version.name())
        );
        for (run, _) in &runs {
            println!(
                "  {:<10} {:>8} {:>10} {:>11.0} {:>15.2}x",
                run.version.name(),
                run.lines,
                fmt_duration(run.elapsed),
                run.lines_per_sec(),
                run.elapsed.as_secs_f64() / baseline.elapsed.as_secs_f64()
            );
        }
    } else {
        println!("\n[3/4] (burst skipped)");
    }

    let version = versions[0];
    println!(
        "\n[4/4] the book's shutdown: stop the tailers {} after the start, whatever the writers are doing",
        fmt_duration(cli.deadline)
    );
    let dir = fresh_dir(scratch.path(), "deadline", version)?;
    let run = run_merge(
        version,
        &book,
        cli.interval,
        Shutdown::AtDeadline(cli.deadline),
        &dir,
    )
    .with_context(|| format!("the {version} version failed"))?;
    match verify(&run.inputs, &run.output) {
        Err(e) => {
            println!(
                "  {version}: merged {} of {} lines, and verify caught it:",
                run.lines,
                book.total_lines()
            );
            println!("  {e}");
        }
        Ok(_) => println!(
            "  {version}: no line lost this time (the writers finished before the deadline; try a shorter --deadline)"
        ),
    }

    scratch
        .close()
        .context("cannot remove the temporary directory")?;
    println!(
        "takeaway: threads and tasks can share one program (spawn_blocking + Handle::block_on top-down,\n          \
         a runtime inside a thread bottom-up), so every step runs and passes the same verify;\n          \
         raising the stop only after the writers are joined, then draining, keeps every line."
    );
    tracing.close();
    Ok(())
}

/// Runs every version on `workload`, each in its own directory, and verifies
/// every output before anything is printed. Returns each run with the number
/// of threads the merge added at its peak (`None` where threads are not
/// counted).
fn run_all(
    versions: &[Version],
    workload: &Workload,
    interval: Duration,
    scratch: &Path,
    label: &str,
) -> anyhow::Result<Vec<(MergeRun, Option<usize>)>> {
    let mut runs = Vec::with_capacity(versions.len());
    for &version in versions {
        let dir = fresh_dir(scratch, label, version)?;
        let sampler = if threads::AVAILABLE {
            let before = os_threads().context("cannot count threads")?;
            let peak = ThreadPeak::start(Duration::from_millis(1))
                .context("cannot start the thread sampler")?;
            Some((before, peak))
        } else {
            None
        };
        let run = run_merge(version, workload, interval, Shutdown::AfterWriters, &dir)
            .with_context(|| format!("the {version} version failed"))?;
        // Not the merge's own: a writer per file and the closer thread. (This
        // assumes the writers are all alive at the peak, true when they pause
        // between lines; in a burst they may finish first, so the count is
        // only shown for the many-files run.)
        let harness = workload.files + 1;
        let threads = sampler.map(|(before, peak)| peak.finish().saturating_sub(before + harness));
        let verified = verify(&run.inputs, &run.output)
            .with_context(|| format!("the {version} version's output is wrong"))?;
        if verified.lines != workload.total_lines() {
            bail!(
                "the {version} version merged {} lines; the writers wrote {}",
                verified.lines,
                workload.total_lines()
            );
        }
        runs.push((run, threads));
    }
    println!(
        "ok: {} merged all {} lines exactly once, each file in order (verified)",
        if versions.len() == 1 {
            "the version"
        } else {
            "every version"
        },
        workload.total_lines()
    );
    Ok(runs)
}

/// A new, empty directory for one run.
fn fresh_dir(scratch: &Path, label: &str, version: Version) -> anyhow::Result<PathBuf> {
    let dir = scratch.join(format!("{label}-{version}"));
    std::fs::create_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}
