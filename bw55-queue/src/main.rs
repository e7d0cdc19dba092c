//! The narrated demo of item 55: a polling pipeline, then channels.

use std::time::Duration;

use anyhow::{Context, bail, ensure};
use bw55_queue::bounded::{check_handoff, handoff};
use bw55_queue::busy_queue::{self, BusyRun, IdleWait};
use bw55_queue::measure::{Timing, fmt_count, fmt_rate, measure, per_second};
use bw55_queue::photos::{self, Config, PhotoRun};
use bw55_queue::pipeline::{Capacity, PipelineError, StageReport};
use bw55_queue::platform::CPU_TIME_UNAVAILABLE;
use bw55_queue::sentinel;
use bw55_queue::task_done::{wait_for_all, wait_for_one};
use bw55_queue::work::{Stages, check_receipts};
use clap::Parser;
use course_support::fmt_duration;
use course_support::timeline::{Lanes, TraceArgs};

/// The item whose resize panics in step 5, as a fraction of `--items`.
const PANIC_AT_HALF: u64 = 2;

/// Runs of each throughput measurement in step 6; the fastest is reported.
const RUNS: usize = 3;

#[derive(Parser)]
#[command(about = "Item 55: use queues (channels) to coordinate work between threads")]
struct Cli {
    /// Items for the book's polling run (step 1).
    #[arg(long, default_value_t = 1_000, value_parser = parse_items)]
    book_items: u64,

    /// Items for the larger runs (steps 2, 5 and 6).
    #[arg(long, default_value_t = 100_000, value_parser = parse_items)]
    items: u64,

    /// Workers of download, resize and upload in the channel pipeline, e.g. 3,4,5.
    #[arg(long, default_value = "3,4,5", value_parser = parse_workers)]
    workers: WorkerCounts,

    /// Capacity of every channel of the pipeline (at least 1).
    #[arg(long, default_value_t = 1024, value_parser = parse_capacity)]
    capacity: usize,

    /// How many times slower resize is in steps 2 and 5 (at least 1).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    slowdown: u32,

    /// How long an idle polling worker sleeps before looking again (the book: 10ms).
    #[arg(long, default_value = "10ms", value_parser = course_support::parse_duration)]
    poll_sleep: Duration,

    #[command(flatten)]
    trace: TraceArgs,
}

/// `--workers`: three counts, each at least 1.
#[derive(Clone, Copy, Debug)]
struct WorkerCounts([usize; 3]);

fn parse_workers(text: &str) -> Result<WorkerCounts, String> {
    let counts: Vec<usize> = text
        .split(',')
        .map(|part| {
            part.trim()
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=64).contains(n))
                .ok_or_else(|| {
                    format!(
                        "invalid worker count {part:?} in {text:?}: expected a number from 1 to 64"
                    )
                })
        })
        .collect::<Result<_, _>>()?;
    let counts: [usize; 3] = counts.try_into().map_err(|counts: Vec<usize>| {
        format!(
            "{text:?} names {} stages; expected three counts (download,resize,upload), like 3,4,5",
            counts.len()
        )
    })?;
    Ok(WorkerCounts(counts))
}

fn parse_items(text: &str) -> Result<u64, String> {
    match text.trim().replace('_', "").parse::<u64>() {
        Ok(n) if (1..=100_000_000).contains(&n) => Ok(n),
        _ => Err(format!(
            "invalid item count {text:?}: expected a number from 1 to 100000000"
        )),
    }
}

fn parse_capacity(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!(
            "invalid capacity {text:?}: expected a whole number of at least 1 \
             (0 would be a rendezvous channel; Python's Queue(0) means unbounded)"
        )),
    }
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // Before any work, so a trace file that cannot be written stops the run.
    let tracing = cli.trace.install(Lanes::Threads)?;
    course_support::banner("bw55-queue: use queues to coordinate work between threads");
    println!(
        "items: {} (book run), {} | workers: {} | capacity: {} | slow resize: {}x | idle poll: sleep {}",
        fmt_count(cli.book_items),
        fmt_count(cli.items),
        join_counts(&cli.workers.0),
        cli.capacity,
        cli.slowdown,
        fmt_duration(cli.poll_sleep),
    );
    if let Some(why) = CPU_TIME_UNAVAILABLE {
        println!("cpu columns: {}", course_support::skipped(why));
    }

    let sleep = IdleWait::Sleep(cli.poll_sleep);
    book_polling(&cli, sleep)?;
    let unbounded_peak = slow_stage_grows(&cli, sleep)?;
    queue_of_one()?;
    waiting_for_work()?;
    channel_pipeline(&cli, unbounded_peak)?;
    throughput(&cli, sleep)?;

    println!(
        "takeaway: a channel blocks instead of polling, bounds the work in flight, and closes itself \
         when the last sender is dropped;\n          so the pipeline needs no sleeps, no sentinel and no \
         stop flag, and a failing stage comes back as an error."
    );
    tracing.close();
    Ok(())
}

/// Step 1: the book's polling pipeline, with its sleep and spinning.
fn book_polling(cli: &Cli, sleep: IdleWait) -> anyhow::Result<()> {
    println!(
        "\n[1/6] before: MyQueue (Mutex<VecDeque>) with polling workers, {} items",
        fmt_count(cli.book_items)
    );
    let stages = Stages::standard();
    let mut rows = Vec::new();
    for idle in [sleep, IdleWait::Yield] {
        let (run, timing) = measure(|| busy_queue::run(0..cli.book_items, &stages, idle))?;
        verify_busy(&run, cli.book_items, &idle.to_string())?;
        rows.push((idle, run, timing));
    }
    println!("ok: every run delivered each item exactly once, with the right checksum");
    println!(
        "  {:<14} {:>9} {:>9}  {:>10} {:>10} {:>10} {:>10} {:>7}",
        "idle wait", "time", "cpu", "download", "resize", "upload", "main", "items"
    );
    for (idle, run, timing) in &rows {
        let polls = run.workers.map(|w| fmt_count(w.polled_count));
        println!(
            "  {:<14} {:>9} {:>9}  {:>10} {:>10} {:>10} {:>10} {:>7}",
            idle.to_string(),
            fmt_duration(timing.wall),
            timing.cpu_text(),
            polls[0],
            polls[1],
            polls[2],
            fmt_count(run.main_polls),
            fmt_count(run.receipts.len() as u64),
        );
    }
    let (_, book_run, _) = &rows[0];
    println!(
        "  (columns download..main are polls.) Processed {} items after polling {} times \
         (the book's run: 1000 after 3035)",
        book_run.receipts.len(),
        fmt_count(book_run.total_polls())
    );
    println!(
        "  stop hack: the main thread polled done_queue until it held all {} results, then set the \
         stop flag; it had to know the count in advance",
        fmt_count(cli.book_items)
    );
    Ok(())
}

/// Step 2: a slow stage, polling workers and an unbounded queue. Returns the
/// longest the queue in front of resize got.
fn slow_stage_grows(cli: &Cli, sleep: IdleWait) -> anyhow::Result<usize> {
    println!(
        "\n[2/6] before: resize {}x slower, {} items, unbounded MyQueue",
        cli.slowdown,
        fmt_count(cli.items)
    );
    let stages = Stages::with_slow_resize(cli.slowdown);
    let mut rows = Vec::new();
    for idle in [sleep, IdleWait::Yield] {
        let (run, timing) = measure(|| busy_queue::run(0..cli.items, &stages, idle))?;
        verify_busy(&run, cli.items, &format!("slow resize, {idle}"))?;
        rows.push((idle, run, timing));
    }
    println!("ok: every run delivered each item exactly once, with the right checksum");
    println!(
        "  {:<14} {:>9} {:>9} {:>6} {:>13} {:>22}",
        "idle wait", "time", "cpu", "cores", "wasted polls", "longest resize_queue"
    );
    for (idle, run, timing) in &rows {
        let wasted: u64 =
            run.workers.iter().map(|w| w.wasted_polls()).sum::<u64>() + run.main_polls;
        let longest = run.max_queued[1];
        println!(
            "  {:<14} {:>9} {:>9} {:>6} {:>13} {:>22}",
            idle.to_string(),
            fmt_duration(timing.wall),
            timing.cpu_text(),
            timing.cores_text(),
            fmt_count(wasted),
            format!(
                "{} ({:.1}%)",
                fmt_count(longest as u64),
                100.0 * longest as f64 / cli.items as f64
            ),
        );
    }
    let resize_peak = rows
        .iter()
        .map(|(_, run, _)| run.max_queued[1])
        .max()
        .unwrap_or(0);
    println!(
        "  while resize works, the others poll: spinning burns CPU on them, sleeping makes items wait;"
    );
    println!(
        "  and nothing in MyQueue pushes back: up to {} images (~{} KiB) waited in front of resize at once",
        fmt_count(resize_peak as u64),
        resize_peak * size_of::<bw55_queue::work::Image>() / 1024,
    );
    Ok(resize_peak)
}

/// Step 3: the book's Queue(1) trace, then the same rule over many items.
fn queue_of_one() -> anyhow::Result<()> {
    println!("\n[3/6] after: a bounded channel of 1 (the book's Queue(1)), 2 items");
    let events = handoff(1, 2);
    check_handoff(&events, 1, 2).map_err(anyhow::Error::msg)?;
    for event in &events {
        println!("  {event}");
    }
    for (capacity, items) in [(1, 10_000), (4, 10_000)] {
        let events = handoff(capacity, items);
        check_handoff(&events, capacity, items)
            .map_err(anyhow::Error::msg)
            .with_context(|| format!("handoff of {items} items through bounded({capacity})"))?;
    }
    println!(
        "ok: put k finished only after the consumer began to get k-capacity \
         (checked again over 10,000 items with capacity 1 and 4)"
    );
    Ok(())
}

/// Step 4: task_done/join as a WaitGroup.
fn waiting_for_work() -> anyhow::Result<()> {
    println!("\n[4/6] after: waiting for the work (the book's task_done/join) with a WaitGroup");
    let steps = wait_for_one();
    println!(
        "  {}",
        steps
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" / ")
    );
    let jobs = 1_000;
    let workers = 3;
    let report = wait_for_all(jobs, workers, None);
    ensure!(
        report.finished_when_wait_returned == jobs && report.workers_joined == workers,
        "wait_for_all: {report:?}"
    );
    println!(
        "  {jobs} jobs on {workers} workers: wait returned with {}/{jobs} finished and {} workers \
         still running; dropping the sender stopped them, {} joined",
        report.finished_when_wait_returned,
        report.workers_alive_when_wait_returned,
        report.workers_joined
    );
    let report = quietly(|| wait_for_all(jobs, workers, Some(jobs / 2)));
    ensure!(
        report.finished_when_wait_returned == jobs - 1 && report.panicked_jobs == 1,
        "wait_for_all with a panic: {report:?}"
    );
    println!(
        "  job {} panics: wait still returned ({} finished + {} panicked); the job's drop was its \
         task_done (a Python join() would wait forever)",
        jobs / 2,
        report.finished_when_wait_returned,
        report.panicked_jobs
    );
    Ok(())
}

/// Step 5: the channel pipeline with several workers per stage.
fn channel_pipeline(cli: &Cli, unbounded_peak: usize) -> anyhow::Result<()> {
    let config = Config {
        workers: cli.workers.0,
        capacity: Capacity::Bounded(cli.capacity),
    };
    println!(
        "\n[5/6] after: channels, {} workers, {}, {} items",
        join_counts(&config.workers),
        config.capacity,
        fmt_count(cli.items)
    );
    let run = photos::run(0..cli.items, &Stages::standard(), &config)?;
    verify_photos(&run, cli.items, "channel pipeline")?;
    println!(
        "  {:<9} {:>7}  {:<34} {:>9} {:>15}",
        "stage", "workers", "items per worker", "longest", "most ahead"
    );
    println!(
        "  {:<9} {:>7}  {:<34} {:>9} {:>15}",
        "", "", "", "queue in", "(limit)"
    );
    let stages = &run.shutdown.stages;
    for stage in stages {
        let per_worker = stage
            .items
            .iter()
            .map(|&n| fmt_count(n as u64))
            .collect::<Vec<_>>()
            .join(" ");
        let (queued, ahead) = match stage.input {
            Some(link) => (
                fmt_count(link.max_queued as u64),
                format!(
                    "{} (<={})",
                    fmt_count(link.max_ahead as u64),
                    fmt_count((cli.capacity + stage.items.len()) as u64)
                ),
            ),
            None => ("-".to_owned(), "-".to_owned()),
        };
        println!(
            "  {:<9} {:>7}  {:<34} {:>9} {:>15}",
            stage.name,
            stage.items.len(),
            per_worker,
            queued,
            ahead
        );
    }
    check_bounds(stages, cli.capacity)?;
    check_shutdown_order(stages)?;
    let spawned: usize = 1 + config.workers.iter().sum::<usize>();
    println!(
        "ok: shutdown rippled {} (exit tickets {}); sentinels sent: 0; threads joined: {}/{}",
        stages
            .iter()
            .map(|s| s.name)
            .collect::<Vec<_>>()
            .join(" -> "),
        stages
            .iter()
            .map(ticket_range)
            .collect::<Vec<_>>()
            .join(" | "),
        run.shutdown.threads_joined,
        spawned
    );

    let (slow, timing) = measure(|| {
        photos::run(
            0..cli.items,
            &Stages::with_slow_resize(cli.slowdown),
            &config,
        )
    })?;
    let slow = slow?;
    verify_photos(&slow, cli.items, "channel pipeline with a slow resize")?;
    check_bounds(&slow.shutdown.stages, cli.capacity)?;
    let resize_in = slow.shutdown.stages[2]
        .input
        .context("the resize stage reads a channel")?;
    println!(
        "  resize {}x slower: {} (cpu {}, {} cores), no polls; longest queue in front of resize {} \
         (MyQueue: {})",
        cli.slowdown,
        fmt_duration(timing.wall),
        timing.cpu_text(),
        timing.cores_text(),
        fmt_count(resize_in.max_queued as u64),
        fmt_count(unbounded_peak as u64)
    );

    let panic_at = cli.items / PANIC_AT_HALF;
    let mut stages = Stages::standard();
    stages.resize = Box::new(move |image| {
        if image.id == panic_at {
            panic!("cannot resize image {}", image.id);
        }
        bw55_queue::work::resize(image)
    });
    let outcome = quietly(|| photos::run(0..cli.items, &stages, &config));
    match outcome {
        Err(error @ PipelineError::Panicked { .. }) => println!(
            "  resize panics at item {}: run() returned an error after joining every thread:\n    {error}",
            fmt_count(panic_at)
        ),
        Err(other) => return Err(other).context("the panicking pipeline failed differently"),
        Ok(run) => bail!(
            "the pipeline swallowed a panic and delivered {} items",
            run.receipts.len()
        ),
    }
    the_books_sentinels(cli)?;
    bw55_queue::drawing()?.print();
    Ok(())
}

/// The book's way to stop the same pipeline, for comparison: a sentinel per
/// worker, stages closed in order, and one run a sentinel short.
fn the_books_sentinels(cli: &Cli) -> anyhow::Result<()> {
    const WATCHDOG: Duration = Duration::from_secs(1);
    let workers = cli.workers.0;
    let items = cli.items.min(10_000);
    println!(
        "  the book's way, for comparison ({} items): a sentinel per worker, stages closed in order",
        fmt_count(items)
    );
    let right = sentinel::run(items, workers, None, WATCHDOG);
    check_receipts(&right.receipts, items).map_err(anyhow::Error::msg)?;
    ensure!(
        right.stuck.is_none(),
        "a stage did not end: {:?}",
        right.stuck
    );
    println!(
        "    ok: every item once; sentinels put {} = the workers per stage; threads joined {}",
        right.sentinels.map(|n| n.to_string()).join("/"),
        right.joined
    );
    let resize = 1;
    let short = sentinel::run(items, workers, Some(resize), WATCHDOG);
    check_receipts(&short.receipts, items).map_err(anyhow::Error::msg)?;
    let stuck = short
        .stuck
        .context("a stage one sentinel short ended anyway")?;
    println!(
        "    one sentinel short in {}: {} of its {} workers still waiting after {} — a hang, caught by a\n    \
         watchdog, which then put the missing sentinel; threads joined {}. With channels nothing is counted:\n    \
         the stage ends when its last sender is dropped.",
        stuck.stage,
        stuck.waiting,
        stuck.workers,
        fmt_duration(WATCHDOG),
        short.joined
    );
    Ok(())
}

/// Step 6: items per second end to end.
fn throughput(cli: &Cli, sleep: IdleWait) -> anyhow::Result<()> {
    println!(
        "\n[6/6] throughput: items end to end, best of {RUNS} runs (baseline: polling with {sleep})"
    );
    let stages = Stages::standard();
    // (name, items, timing)
    let mut rows: Vec<(String, u64, Timing)> = Vec::new();
    for idle in [sleep, IdleWait::Yield] {
        let timing = best_of(RUNS, || {
            let (run, timing) = measure(|| busy_queue::run(0..cli.items, &stages, idle))?;
            verify_busy(&run, cli.items, &idle.to_string())?;
            Ok(timing)
        })?;
        rows.push((format!("polling, {idle}"), cli.items, timing));
    }
    let bounded = Capacity::Bounded(cli.capacity);
    // A buffer of one makes every item a handoff between sleeping threads,
    // so that row runs a fiftieth of the items to keep the demo short.
    let few = (cli.items / 50).max(1);
    let configs = [
        ([1, 1, 1], Capacity::Bounded(1), few),
        ([1, 1, 1], Capacity::Bounded(64), cli.items),
        ([1, 1, 1], bounded, cli.items),
        (cli.workers.0, bounded, cli.items),
        (cli.workers.0, Capacity::Unbounded, cli.items),
    ];
    for (index, &(workers, capacity, items)) in configs.iter().enumerate() {
        // `--workers 1,1,1` would repeat a row.
        if configs[..index]
            .iter()
            .any(|&(w, c, _)| (w, c) == (workers, capacity))
        {
            continue;
        }
        let config = Config { workers, capacity };
        let name = format!("channels {}, {}", join_counts(&workers), capacity);
        let timing = best_of(RUNS, || {
            let (run, timing) = measure(|| photos::run(0..items, &stages, &config))?;
            verify_photos(&run?, items, &name)?;
            Ok(timing)
        })?;
        rows.push((name, items, timing));
    }
    println!("ok: every run delivered each item exactly once, with the right checksum");
    println!(
        "  {:<30} {:>8} {:>9} {:>9} {:>6} {:>13} {:>8}",
        "pipeline", "items", "time", "cpu", "cores", "items/s", "vs base"
    );
    let base_rate = per_second(rows[0].1 as usize, rows[0].2.wall);
    for (name, items, timing) in &rows {
        let rate = per_second(*items as usize, timing.wall);
        println!(
            "  {:<30} {:>8} {:>9} {:>9} {:>6} {:>13} {:>7.2}x",
            name,
            fmt_count(*items),
            fmt_duration(timing.wall),
            timing.cpu_text(),
            timing.cores_text(),
            fmt_rate(rate),
            rate / base_rate.max(f64::MIN_POSITIVE)
        );
    }
    println!(
        "  a small buffer makes every item a wake-up of a sleeping thread; a large one lets both sides\n  \
         run in bursts. Polling keeps up only while there is always work queued (see step 2 for its price)."
    );
    Ok(())
}

/// Runs `f` `runs` times and keeps the fastest timing: on a shared machine the
/// fastest run is the one least disturbed by other processes.
fn best_of(runs: usize, mut f: impl FnMut() -> anyhow::Result<Timing>) -> anyhow::Result<Timing> {
    let mut best = f()?;
    for _ in 1..runs {
        let timing = f()?;
        if timing.wall < best.wall {
            best = timing;
        }
    }
    Ok(best)
}

fn verify_busy(run: &BusyRun, items: u64, what: &str) -> anyhow::Result<()> {
    check_receipts(&run.receipts, items)
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("the polling pipeline ({what}) lost or corrupted items"))
}

fn verify_photos(run: &PhotoRun, items: u64, what: &str) -> anyhow::Result<()> {
    check_receipts(&run.receipts, items)
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("the {what} lost or corrupted items"))
}

/// Every channel stayed within its bound, and no producer got further ahead
/// than the bound plus one item per receiving worker.
fn check_bounds(stages: &[StageReport], capacity: usize) -> anyhow::Result<()> {
    for stage in stages {
        if let Some(link) = stage.input {
            ensure!(
                link.max_queued <= capacity && link.max_ahead <= capacity + stage.items.len(),
                "stage {}: {} queued, {} ahead, with capacity {capacity} and {} workers",
                stage.name,
                link.max_queued,
                link.max_ahead,
                stage.items.len()
            );
        }
    }
    Ok(())
}

/// Every worker of a stage exited before any worker of the next one.
fn check_shutdown_order(stages: &[StageReport]) -> anyhow::Result<()> {
    for pair in stages.windows(2) {
        let last_before = pair[0].exits.iter().max();
        let first_after = pair[1].exits.iter().min();
        ensure!(
            last_before < first_after,
            "stage {} ended before stage {} had",
            pair[1].name,
            pair[0].name
        );
    }
    Ok(())
}

fn ticket_range(stage: &StageReport) -> String {
    match (stage.exits.iter().min(), stage.exits.iter().max()) {
        (Some(first), Some(last)) if first == last => first.to_string(),
        (Some(first), Some(last)) => format!("{first}-{last}"),
        _ => "-".to_owned(),
    }
}

fn join_counts(counts: &[usize]) -> String {
    counts
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// Runs `f` with the default panic report switched off. The panics in steps 4
/// and 5 are the point of those steps and come back as values; the report the
/// default hook prints on stderr would only interrupt the narration.
fn quietly<T>(f: impl FnOnce() -> T) -> T {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let value = f();
    std::panic::set_hook(default_hook);
    value
}
