//! The narrated demo of item 63: a blocking task stalls the runtime, a
//! detector catches it, and a writer thread fixes it.

use std::time::Duration;

use anyhow::{Context, bail, ensure};
use bw63_nonblocking::{
    DiskCost, Flavor, Heartbeat, ScenarioConfig, SlowCause, SlowPollDetector, WritePath,
    WriteThread, idle_lag, measure_line_cost, measure_stall, per_write_cost, run_tasks,
    verify_output,
};
use clap::Parser;
use course_support::timeline::{Lanes, TraceArgs};
use course_support::{fmt_duration, parse_duration};

/// The heartbeat p99 the writer-thread version must stay under (COURSE.md §4).
const P99_TARGET: Duration = Duration::from_millis(10);

#[derive(Parser)]
#[command(about = "Item 63: avoid blocking the event loop to maximize responsiveness")]
struct Cli {
    /// How long the blocking task of steps 1 and 2 blocks.
    #[arg(long, default_value = "200ms", value_parser = parse_duration)]
    block: Duration,
    /// The heartbeat's interval.
    #[arg(long, default_value = "1ms", value_parser = parse_duration)]
    tick: Duration,
    /// Polls longer than this are reported as slow.
    #[arg(long, default_value = "10ms", value_parser = parse_duration)]
    threshold: Duration,
    /// Input files tailed in step 3.
    #[arg(long, default_value_t = 4)]
    files: usize,
    /// Lines per input file.
    #[arg(long, default_value_t = 8)]
    lines: usize,
    /// What one output line costs: `buffered`, `sync` (a real `sync_data`),
    /// or a duration (a simulated slow disk: the writing thread sleeps).
    #[arg(long, default_value = "20ms")]
    disk: DiskCost,
    #[command(flatten)]
    trace: TraceArgs,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // Before any work, so a trace file that cannot be written stops the run.
    // A lane per root span: the heartbeat's ticks are children of one
    // `heartbeat` span, and each output's writes of one span of their own.
    let tracing = cli.trace.install(Lanes::Tasks)?;
    ensure!(
        !cli.block.is_zero(),
        "--block must be more than 0, e.g. 200ms"
    );
    ensure!(!cli.tick.is_zero(), "--tick must be more than 0, e.g. 1ms");
    ensure!(cli.files >= 1, "--files must be at least 1");
    ensure!(cli.lines >= 1, "--lines must be at least 1");

    course_support::banner("bw63-nonblocking: avoid blocking the event loop");
    println!(
        "block: {} | heartbeat every {} | slow-poll threshold {} | {} files x {} lines | disk: {}",
        fmt_duration(cli.block),
        fmt_duration(cli.tick),
        fmt_duration(cli.threshold),
        cli.files,
        cli.lines,
        cli.disk
    );

    stall_step(&cli)?;
    detector_step(&cli)?;
    scenario_step(&cli)?;
    cost_step()?;

    println!(
        "takeaway: a task that blocks holds its runtime thread and every task behind it waits; \
         measure polls and lag to find it,\n          \
         and move the blocking call to a thread that may block (a writer thread owning the \
         file, or spawn_blocking) and await it."
    );
    tracing.close();
    Ok(())
}

/// Step 1: one blocking task, on both kinds of runtime.
fn stall_step(cli: &Cli) -> anyhow::Result<()> {
    let workers = course_support::cores().max(2);
    let multi = Flavor::MultiThread { workers };
    println!(
        "\n[1/4] a task calls std::thread::sleep({}): how late is everyone else?",
        fmt_duration(cli.block)
    );
    println!(
        "  {:<28} {:>8} {:>10} {:>14} {:>14} {:>14}",
        "runtime", "blockers", "blocked at", "heartbeat max", "spawned first", "spawned last"
    );
    let runs = [(Flavor::CurrentThread, 1), (multi, 1), (multi, workers)];
    for (flavor, blockers) in runs {
        let report = measure_stall(flavor, blockers, cli.block, cli.tick)
            .with_context(|| format!("building a {flavor} runtime failed"))?;
        // Verify what the run must show before printing its timings: every
        // blocker did block.
        ensure!(
            report.peak_blocked >= 1,
            "no blocking call was observed on the {flavor} runtime"
        );
        println!(
            "  {:<28} {:>8} {:>10} {:>14} {:>14} {:>14}",
            flavor.to_string(),
            blockers,
            format!("{} of {}", report.peak_blocked, flavor.workers()),
            fmt_duration(report.heartbeat.max),
            fmt_duration(report.spawned_first),
            fmt_duration(report.spawned_last),
        );
    }
    println!(
        "  (current-thread: everything waits for the block. multi-thread with a free worker: the\n   \
         heartbeat and the first spawned task move to the other worker, but the last task spawned\n   \
         before the block waits in the blocked worker's LIFO slot, which no other worker may take.\n   \
         block every worker and the heartbeat stalls as on one thread; a task runs only if a\n   \
         worker stole it before its own block began.)"
    );
    Ok(())
}

/// Step 2: the slow-poll detector and the heartbeat catch the blocking task.
fn detector_step(cli: &Cli) -> anyhow::Result<()> {
    println!(
        "\n[2/4] slow-poll detector (threshold {}) on a current-thread runtime; reports go to stderr:",
        fmt_duration(cli.threshold)
    );
    let runtime = Flavor::CurrentThread.build()?;
    let block = cli.block;
    let tick = cli.tick;
    let (detector, lag) = runtime.block_on(async move {
        let detector = SlowPollDetector::echoing(cli.threshold);
        let heartbeat = Heartbeat::start(tick);
        let sleeper = detector.spawn("sleeper", async move {
            // Waits as long as the blocker blocks, but by awaiting the timer,
            // in small steps: many short polls.
            for _ in 0..10 {
                tokio::time::sleep(block / 10).await;
            }
        });
        let blocker = detector.spawn("blocker", async move {
            tokio::time::sleep(tick).await;
            std::thread::sleep(block);
        });
        let (slept, blocked) = tokio::join!(sleeper, blocker);
        slept.context("the sleeper task failed")?;
        blocked.context("the blocker task failed")?;
        anyhow::Ok((detector, heartbeat.stop().await))
    })?;

    let reports = detector.reports();
    let blocker_reports: Vec<_> = reports.iter().filter(|r| &*r.task == "blocker").collect();
    let sleeper_reports = reports.iter().filter(|r| &*r.task == "sleeper").count();
    if blocker_reports.is_empty() {
        bail!("the detector missed the blocking task (reports: {reports:?})");
    }
    if sleeper_reports > 0 {
        bail!("the detector reported the task that only awaits (reports: {reports:?})");
    }
    let longest = blocker_reports
        .iter()
        .max_by_key(|r| r.duration)
        .expect("checked non-empty above");
    println!(
        "  ok: 'blocker' reported: {} slow poll of {}, {}; 'sleeper', which only awaits, not reported",
        blocker_reports.len(),
        fmt_duration(longest.duration),
        longest.cause()
    );
    if longest.usage.is_none() {
        // Only Linux reports a single thread's usage (RUSAGE_THREAD).
        println!(
            "  cause: {}",
            course_support::skipped(
                "only Linux reports one thread's CPU time and sleeps (getrusage RUSAGE_THREAD)"
            )
        );
    }
    println!(
        "  heartbeat meanwhile: {} ticks, lag p50 {}  p99 {}  max {}",
        lag.ticks,
        fmt_duration(lag.p50),
        fmt_duration(lag.p99),
        fmt_duration(lag.max)
    );
    Ok(())
}

/// Step 3: the book's scenario, once per write path.
fn scenario_step(cli: &Cli) -> anyhow::Result<()> {
    let config = ScenarioConfig {
        files: cli.files,
        lines: cli.lines,
        cost: cli.disk,
        heartbeat: cli.tick,
        threshold: cli.threshold,
        ..ScenarioConfig::default()
    };
    let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
    let real_sync = measure_line_cost(&dir.path().join("sync-probe.log"), DiskCost::SyncData, 20)
        .context("measuring sync_data failed")?;
    println!(
        "\n[3/4] tail {} growing files into one output ({} lines), heartbeat alongside, \
         current-thread runtime",
        config.files,
        config.files * config.lines
    );
    println!(
        "  disk: {}; for scale, a real sync_data here took {} per line",
        config.cost,
        fmt_duration(real_sync)
    );

    let runtime = Flavor::CurrentThread.build()?;
    let mut reports = Vec::new();
    for how in WritePath::ALL {
        let run_dir = tempfile::tempdir_in(dir.path()).context("cannot create a run directory")?;
        let report = runtime
            .block_on(run_tasks(run_dir.path(), how, &config))
            .with_context(|| format!("the {how} run failed"))?;
        let verified = verify_output(&report.output, config.files, config.lines)
            .map_err(anyhow::Error::msg)
            .with_context(|| format!("the {how} output is wrong"))?;
        ensure!(
            report.written.lines == verified.lines as u64,
            "the {how} writer counted {} lines, the file has {}",
            report.written.lines,
            verified.lines
        );
        reports.push(report);
    }
    println!("  ok: every input line is in each output exactly once, in its file's order");
    println!(
        "  {:<15} {:>9} {:>6} {:>6} {:>9} {:>9} {:>9} {:>12} {:>12}",
        "write path",
        "time",
        "lines",
        "ticks",
        "lag p50",
        "lag p99",
        "lag max",
        "slow (slept)",
        "longest poll"
    );
    for report in &reports {
        let longest = report.slow_polls.iter().map(|r| r.duration).max();
        // How many of the slow polls slept in the kernel — made a blocking
        // call — rather than lost the CPU to another process.
        let slept = report
            .slow_polls
            .iter()
            .filter(|r| r.cause() == SlowCause::Blocked)
            .count();
        println!(
            "  {:<15} {:>9} {:>6} {:>6} {:>9} {:>9} {:>9} {:>12} {:>12}",
            report.path.to_string(),
            fmt_duration(report.elapsed),
            report.written.lines,
            report.lag.ticks,
            fmt_duration(report.lag.p50),
            fmt_duration(report.lag.p99),
            fmt_duration(report.lag.max),
            format!("{} ({slept})", report.slow_polls.len()),
            longest.map_or_else(|| "-".to_owned(), fmt_duration),
        );
    }
    let threaded = reports
        .iter()
        .find(|r| r.path == WritePath::WriterThread)
        .context("the writer-thread run is missing")?;
    // The same heartbeat on a runtime with nothing to do, for as long as the
    // writer-thread run took: what this machine's timer and load add anyway.
    let idle = runtime.block_on(idle_lag(config.heartbeat, threaded.elapsed));
    println!(
        "  {:<15} {:>9} {:>6} {:>6} {:>9} {:>9} {:>9} {:>12} {:>12}",
        "(idle runtime)",
        fmt_duration(threaded.elapsed),
        "-",
        idle.ticks,
        fmt_duration(idle.p50),
        fmt_duration(idle.p99),
        fmt_duration(idle.max),
        "-",
        "-",
    );
    println!(
        "  (slow (slept): polls over the threshold, and how many of them slept in the kernel, i.e.\n   \
         made a blocking call; the others lost their CPU to other processes. the idle row is the\n   \
         same heartbeat with nothing to do: this machine's noise floor.)"
    );
    println!(
        "  baseline: blocking. writer-thread heartbeat p99 {} (target <= {}): {}",
        fmt_duration(threaded.lag.p99),
        fmt_duration(P99_TARGET),
        if threaded.lag.p99 <= P99_TARGET {
            "met"
        } else {
            "MISSED (is the machine very busy?)"
        }
    );
    // The gap itself, drawn: a small run of the same two write paths, the
    // heartbeat's ticks and the writes as spans on one time axis.
    println!(
        "\n  the same in small, drawn from its spans: a heartbeat beside {} slow writes",
        bw63_nonblocking::drawn::WRITES
    );
    bw63_nonblocking::drawing()?.print();
    Ok(())
}

/// Step 4: what the fix costs per write, and the writer thread's life cycle.
fn cost_step() -> anyhow::Result<()> {
    const WRITES: usize = 2_000;
    println!(
        "\n[4/4] the cost of one awaited write with a fast disk (buffered, {WRITES} writes, one task):"
    );
    let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
    let runtime = Flavor::CurrentThread.build()?;
    println!("  {:<15} {:>12}", "write path", "per write");
    for how in WritePath::ALL {
        let path = dir.path().join(format!("cost-{how}.log"));
        let cost = runtime
            .block_on(per_write_cost(&path, how, WRITES))
            .with_context(|| format!("the {how} cost run failed"))?;
        let text = std::fs::read_to_string(&path).context("cannot read the cost output")?;
        ensure!(
            text.lines().count() == WRITES,
            "the {how} cost run wrote {} of {WRITES} lines",
            text.lines().count()
        );
        println!("  {:<15} {:>12}", how.to_string(), fmt_duration(cost));
    }
    println!(
        "  (inline is cheapest only while the disk is fast; the other two pay a thread hand-off)"
    );

    println!("\n  the WriteThread's life cycle (start ... close, like `async with`):");
    let path = dir.path().join("lifecycle.log");
    let (stats, exited, late) = runtime.block_on(async {
        let output = WriteThread::start(&path, DiskCost::Buffered).await?;
        let exit = output.exit_signal();
        let mut tasks = tokio::task::JoinSet::new();
        for task in 0..4 {
            let writer = output.writer();
            tasks.spawn(async move {
                for n in 0..25 {
                    writer.write(format!("task-{task} line-{n}")).await?;
                }
                anyhow::Ok(())
            });
        }
        let late_writer = output.writer();
        while let Some(done) = tasks.join_next().await {
            done.context("a writing task panicked")??;
        }
        let stats = output.close().await?;
        let late = late_writer.write("after close").await;
        anyhow::Ok((stats, exit.has_exited(), late))
    })?;
    let text = std::fs::read_to_string(&path).context("cannot read the lifecycle output")?;
    ensure!(
        stats.lines == 100 && text.lines().count() == 100,
        "close() should have flushed 100 lines; the file has {}",
        text.lines().count()
    );
    ensure!(exited, "the writer thread is still running after close()");
    let Err(late_error) = late else {
        bail!("a write after close() succeeded");
    };
    println!(
        "  close(): {} lines flushed and synced; thread exited: {exited}",
        stats.lines
    );
    println!("  a write after close(): error at once: {late_error}");
    Ok(())
}
