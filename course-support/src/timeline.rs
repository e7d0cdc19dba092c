//! Timelines of real runs: which lane (thread, stage, task) ran what, when.
//!
//! The lessons wrap each unit of work they schedule in a [`tracing`] span (a
//! cell's I/O, a pool job, a pipeline stage's job, a child process...). Spans
//! cost almost nothing until something listens; two things can:
//!
//! - [`record`] listens while one closure runs and returns the spans that
//!   closed meanwhile as a [`Timeline`]: the demos draw it as a lane chart
//!   ([`Timeline::chart`]) and the tests count its lanes and its overlap;
//! - [`install`] with a path writes every span of the whole run to a Chrome
//!   trace file, which <https://ui.perfetto.dev> or `chrome://tracing` opens:
//!   one lane per thread (or per async span, for the async lessons).
//!
//! A span's lane is its `lane` field if it has one (`lane = "stage resize"`),
//! else the name of the thread that created it.

use std::fmt::{self, Write as _};
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::subscriber::Interest;
use tracing::{Subscriber, callsite, subscriber};
use tracing_subscriber::filter;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::{LookupSpan, Registry};

/// How a Chrome trace groups spans into lanes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lanes {
    /// One lane per thread: for threads, pools and pipelines.
    Threads,
    /// One lane per top-level span, wherever it runs: for async tasks, which
    /// move between threads or share one.
    Tasks,
}

/// One closed span: what it was, on which lane, from when to when (since the
/// start of the recording).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interval {
    /// The span's name (`"job"`, `"cell io"`).
    pub name: &'static str,
    /// Its lane: the `lane` field, else the creating thread's name.
    pub lane: String,
    /// When it was created.
    pub start: Duration,
    /// When it closed.
    pub end: Duration,
}

/// Whether the in-process recorder keeps spans right now (only inside
/// [`record`]).
static RECORDING: AtomicBool = AtomicBool::new(false);
/// What the recorder kept, and the instant its times count from.
static RECORDED: Mutex<Recorded> = Mutex::new(Recorded {
    origin: None,
    intervals: Vec::new(),
});
/// Spans begun while recording that have not closed yet.
static OPEN: AtomicUsize = AtomicUsize::new(0);
/// How long [`record`] waits, after the work returned, for the spans it
/// began to close.
const LAST_SPANS: Duration = Duration::from_secs(1);
/// One recording at a time: two at once would mix their spans.
static ONE_RECORDING: Mutex<()> = Mutex::new(());
/// Set once the process's subscriber is in place.
static INSTALLED: OnceLock<()> = OnceLock::new();

struct Recorded {
    origin: Option<Instant>,
    intervals: Vec<Interval>,
}

fn recorded() -> MutexGuard<'static, Recorded> {
    // A panic while holding it leaves plain data behind; keep using it.
    RECORDED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Where an open span is drawn and since when.
struct Open {
    lane: String,
    start: Instant,
}

/// Reads a span's `lane` field.
struct LaneField(Option<String>);

impl Visit for LaneField {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "lane" {
            self.0 = Some(value.to_owned());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "lane" {
            // A `Display` value (`%lane`) arrives here, already formatted.
            self.0 = Some(format!("{value:?}"));
        }
    }
}

/// The in-process recorder: keeps every span that closes while recording.
struct Recorder;

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Recorder {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut lane = LaneField(None);
        attrs.record(&mut lane);
        let lane = lane.0.unwrap_or_else(|| {
            thread::current()
                .name()
                .map_or_else(|| format!("{:?}", thread::current().id()), str::to_owned)
        });
        if let Some(span) = ctx.span(id) {
            OPEN.fetch_add(1, Ordering::SeqCst);
            span.extensions_mut().insert(Open {
                lane,
                start: Instant::now(),
            });
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let end = Instant::now();
        let Some(span) = ctx.span(&id) else { return };
        let extensions = span.extensions();
        let Some(open) = extensions.get::<Open>() else {
            return;
        };
        let mut recorded = recorded();
        OPEN.fetch_sub(1, Ordering::SeqCst);
        let Some(origin) = recorded.origin else {
            return;
        };
        let interval = Interval {
            name: span.name(),
            lane: open.lane.clone(),
            start: open.start.saturating_duration_since(origin),
            end: end.saturating_duration_since(origin),
        };
        recorded.intervals.push(interval);
    }
}

/// Keeps the Chrome trace open; dropping it writes the end of the file.
#[must_use = "the trace file is complete only when this guard is dropped"]
pub struct Tracing {
    chrome: Option<(tracing_chrome::FlushGuard, PathBuf)>,
}

impl Tracing {
    /// Completes the trace file, if one is written, and returns the line
    /// that tells where it is and how to open it.
    pub fn finish(self) -> Option<String> {
        let (guard, path) = self.chrome?;
        drop(guard);
        Some(format!(
            "trace: {} (open it in https://ui.perfetto.dev or chrome://tracing)",
            path.display()
        ))
    }
}

impl Tracing {
    /// [`finish`](Self::finish)es the trace and prints where it is, if one
    /// was written: the last thing a demo does.
    pub fn close(self) {
        if let Some(line) = self.finish() {
            println!("{line}");
        }
    }
}

impl fmt::Debug for Tracing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tracing")
            .field("trace", &self.chrome.as_ref().map(|(_, path)| path))
            .finish()
    }
}

/// The `--trace FILE` flag of every lesson that runs concurrent work.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct TraceArgs {
    /// Write a Chrome trace of the whole run to FILE: a span per unit of
    /// work (a cell's I/O, a job, a child process...), a lane per thread or
    /// task. Open it in <https://ui.perfetto.dev> or chrome://tracing.
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,
}

impl TraceArgs {
    /// [`install`]s the span subscriber, writing the trace if `--trace` was
    /// given. Call it first thing in `main`: a path that cannot be written
    /// is an error before any work starts.
    ///
    /// # Errors
    ///
    /// If the trace file cannot be created, or a subscriber is installed
    /// already.
    pub fn install(&self, lanes: Lanes) -> io::Result<Tracing> {
        install(self.trace.as_deref(), lanes)
    }
}

/// Installs this process's span subscriber: the in-process recorder, and if
/// `trace` names a file, a Chrome trace of every span, grouped by `lanes`.
///
/// Call it first thing in `main`, before any work: the file is created here,
/// so a path that cannot be written is an error before anything runs. At most
/// once per process (a second call is an error); [`record`] installs the
/// recorder alone if nothing did.
pub fn install(trace: Option<&Path>, lanes: Lanes) -> io::Result<Tracing> {
    let chrome = match trace {
        None => None,
        Some(path) => {
            let file = File::create(path).map_err(|error| {
                io::Error::new(
                    error.kind(),
                    format!("cannot write the trace file {}: {error}", path.display()),
                )
            })?;
            let style = match lanes {
                Lanes::Threads => tracing_chrome::TraceStyle::Threaded,
                Lanes::Tasks => tracing_chrome::TraceStyle::Async,
            };
            Some(
                tracing_chrome::ChromeLayerBuilder::new()
                    .writer(io::BufWriter::new(file))
                    .include_args(true)
                    .include_locations(false)
                    .trace_style(style)
                    .build(),
            )
        }
    };
    if INSTALLED.set(()).is_err() {
        return Err(io::Error::other("the span subscriber is installed already"));
    }
    // Two subscribers rather than an `Option` layer: an absent (`None`)
    // layer declares an interest in every callsite, which would make every
    // span cost a few hundred nanoseconds even with no trace file.
    let (installed, guard) = match chrome {
        Some((chrome_layer, guard)) => (
            subscriber::set_global_default(Registry::default().with(chrome_layer).with(recorder())),
            trace.map(|path| (guard, path.to_path_buf())),
        ),
        None => (
            subscriber::set_global_default(Registry::default().with(recorder())),
            None,
        ),
    };
    installed.map_err(|error| {
        io::Error::other(format!("cannot install the span subscriber: {error}"))
    })?;
    Ok(Tracing { chrome: guard })
}

/// The in-process recorder, filtered: outside a recording its interest in
/// every callsite is "never", so a span costs what it costs with no
/// subscriber at all (the CPU-bound lessons create one per cell). `record`
/// switches the interest on and off again (`rebuild_interest_cache`).
fn recorder<S>() -> impl Layer<S>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    Recorder.with_filter(
        filter::DynFilterFn::new(|_, _| RECORDING.load(Ordering::Relaxed)).with_callsite_filter(
            |_| {
                if RECORDING.load(Ordering::Relaxed) {
                    Interest::sometimes()
                } else {
                    Interest::never()
                }
            },
        ),
    )
}

/// Runs `work` and returns its value with the spans that closed while it ran.
///
/// Spans that `work` began and that close within a second after it returns
/// are in the timeline too (a pool's job span ends just after the job handed
/// its result over); spans still open then are not. Recordings are one at a
/// time in a process (a second waits for the first), and they keep every
/// span of the process: a test that records runs alone in a process of its
/// own (`testing::alone_in_process`).
///
/// # Panics
///
/// If a span subscriber other than this module's was installed.
pub fn record<T>(work: impl FnOnce() -> T) -> (T, Timeline) {
    if INSTALLED.get().is_none() {
        // Nothing installed yet (a test, or a demo without `--trace`): the
        // recorder alone. Losing a race to another thread is fine.
        let _ = install(None, Lanes::Threads);
    }
    let _one = ONE_RECORDING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    {
        let mut recorded = recorded();
        recorded.intervals.clear();
        recorded.origin = Some(Instant::now());
    }
    RECORDING.store(true, Ordering::SeqCst);
    callsite::rebuild_interest_cache();
    let value = work();
    RECORDING.store(false, Ordering::SeqCst);
    callsite::rebuild_interest_cache();
    // A job's span may close just after the job handed its result over: let
    // the spans this run began close (a span that never does, such as a
    // task left running, is not waited for long).
    let waited = Instant::now();
    while OPEN.load(Ordering::SeqCst) > 0 && waited.elapsed() < LAST_SPANS {
        thread::sleep(Duration::from_micros(200));
    }
    let mut recorded = recorded();
    recorded.origin = None;
    let intervals = std::mem::take(&mut recorded.intervals);
    (value, Timeline::new(intervals))
}

/// The spans of one recorded run, in order of their start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timeline {
    intervals: Vec<Interval>,
}

impl Timeline {
    /// A timeline of these intervals (sorted by start here).
    pub fn new(mut intervals: Vec<Interval>) -> Self {
        intervals.sort_by_key(|i| (i.start, i.end));
        Self { intervals }
    }

    /// Every interval, by start.
    pub fn intervals(&self) -> &[Interval] {
        &self.intervals
    }

    /// Only the spans called `name`.
    pub fn named(&self, name: &str) -> Self {
        Self::new(
            self.intervals
                .iter()
                .filter(|i| i.name == name)
                .cloned()
                .collect(),
        )
    }

    /// The lanes, in the order they first start work.
    pub fn lanes(&self) -> Vec<&str> {
        let mut lanes: Vec<&str> = Vec::new();
        for interval in &self.intervals {
            if !lanes.contains(&interval.lane.as_str()) {
                lanes.push(&interval.lane);
            }
        }
        lanes
    }

    /// The most intervals open at the same moment. One that ends exactly when
    /// another starts does not overlap it.
    pub fn peak_overlap(&self) -> usize {
        let mut edges: Vec<(Duration, i32)> = self
            .intervals
            .iter()
            .flat_map(|i| [(i.start, 1), (i.end, -1)])
            .collect();
        // At equal times, ends (-1) sort before starts (+1).
        edges.sort();
        let (mut open, mut peak) = (0i32, 0i32);
        for (_, step) in edges {
            open += step;
            peak = peak.max(open);
        }
        usize::try_from(peak).unwrap_or(0)
    }

    /// The longest time on `lane` between the end of one interval and the
    /// start of the next (`None` with fewer than two intervals on it).
    pub fn longest_gap(&self, lane: &str) -> Option<Duration> {
        let on_lane: Vec<&Interval> = self.intervals.iter().filter(|i| i.lane == lane).collect();
        on_lane
            .windows(2)
            .map(|pair| pair[1].start.saturating_sub(pair[0].end))
            .max()
    }

    /// When the last interval ends.
    pub fn end(&self) -> Duration {
        self.intervals
            .iter()
            .map(|i| i.end)
            .max()
            .unwrap_or_default()
    }

    /// A lane chart at most `width` columns wide: one row per lane (the first
    /// `max_lanes`; a last line counts the rest), time running left to right
    /// from the first start to the last end. `█` marks a column the lane is
    /// busy for at least half of, `▌` one it is busy for less, `·` idle.
    ///
    /// Lanes are drawn in the order they first start work, except lanes that
    /// differ only in a final number (`worker 0`, `worker 1`...), which are
    /// drawn by that number.
    pub fn chart(&self, width: usize, max_lanes: usize) -> String {
        self.chart_over(width, max_lanes, self.length())
    }

    /// [`chart`](Self::chart) on a time axis `length` long from the first
    /// start, so two runs drawn with the same `length` compare at a glance
    /// (a run shorter than it ends early; a longer one is cut at `length`).
    pub fn chart_over(&self, width: usize, max_lanes: usize, length: Duration) -> String {
        self.draw(width, max_lanes, length, self.label_width())
    }

    /// The widest lane label, at most 16 characters.
    fn label_width(&self) -> usize {
        self.lanes()
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0)
            .min(16)
    }

    /// The lanes in the order a chart draws them: as [`lanes`](Self::lanes),
    /// except that lanes differing only in a final number (`worker 0`,
    /// `worker 1`...) are sorted by that number.
    pub fn drawn_lanes(&self) -> Vec<&str> {
        let mut lanes = self.lanes();
        let numbered: Option<Vec<(&str, u64)>> = lanes
            .iter()
            .map(|lane| {
                let (prefix, number) = lane.rsplit_once(' ')?;
                Some((prefix, number.parse().ok()?))
            })
            .collect();
        if let Some(numbered) = numbered
            && numbered.windows(2).all(|pair| pair[0].0 == pair[1].0)
        {
            let mut order: Vec<(u64, &str)> = numbered
                .iter()
                .zip(&lanes)
                .map(|(&(_, n), &lane)| (n, lane))
                .collect();
            order.sort_unstable();
            lanes = order.into_iter().map(|(_, lane)| lane).collect();
        }
        lanes
    }

    /// When the first interval starts (zero for an empty timeline).
    pub fn start(&self) -> Duration {
        self.intervals.first().map(|i| i.start).unwrap_or_default()
    }

    /// From the first start to the last end.
    pub fn length(&self) -> Duration {
        self.end().saturating_sub(self.start())
    }

    fn draw(&self, width: usize, max_lanes: usize, length: Duration, label_width: usize) -> String {
        let lanes = self.drawn_lanes();
        // "label │bars│"
        let columns = width.saturating_sub(label_width + 3).max(1);
        let start = self.start();
        let total = length.max(Duration::from_nanos(1));
        let column = total.as_secs_f64() / columns as f64;
        let mut out = String::new();
        for lane in lanes.iter().take(max_lanes) {
            let mut busy = vec![0.0f64; columns];
            for i in self.intervals.iter().filter(|i| i.lane == *lane) {
                let from = (i.start - start).as_secs_f64();
                let to = (i.end - start).as_secs_f64();
                for (c, cell) in busy.iter_mut().enumerate() {
                    let (lo, hi) = (c as f64 * column, (c + 1) as f64 * column);
                    let overlap = to.min(hi) - from.max(lo);
                    if overlap > 0.0 {
                        *cell += overlap / column;
                    }
                }
            }
            let bars: String = busy
                .iter()
                .map(|&b| match b {
                    b if b >= 0.5 => '█',
                    // Less than 1 % of a column is rounding, not work.
                    b if b > 0.01 => '▌',
                    _ => '·',
                })
                .collect();
            let label: String = lane.chars().take(label_width).collect();
            let _ = writeln!(out, "{label:>label_width$} │{bars}│");
        }
        if lanes.len() > max_lanes {
            let _ = writeln!(
                out,
                "{:>label_width$}   … and {} more lanes",
                "",
                lanes.len() - max_lanes
            );
        }
        // The time axis under the bars: 0 at the left edge, the total at the right.
        let right = crate::fmt_duration(total);
        let gap = columns.saturating_sub(right.chars().count()).max(1);
        let _ = writeln!(out, "{:>label_width$}  0{}{right}", "", " ".repeat(gap));
        out
    }
}

/// Several runs drawn one under the other on one time axis, the longest
/// run's, each under its title: the runs' lengths compare at a glance.
pub fn charts_on_one_axis(runs: &[(&str, &Timeline)], width: usize, max_lanes: usize) -> String {
    let length = runs
        .iter()
        .map(|(_, t)| t.length())
        .max()
        .unwrap_or_default();
    let label_width = runs.iter().map(|(_, t)| t.label_width()).max().unwrap_or(0);
    let mut out = String::new();
    for (title, timeline) in runs {
        let _ = writeln!(out, "{title}");
        out.push_str(&timeline.draw(width, max_lanes, length, label_width));
    }
    out
}

/// The small real runs a lesson draws: its demo prints them as lane charts
/// on one time axis ([`Drawing::print`]), and the picture in its README is
/// drawn from the same runs.
#[derive(Debug, Clone, Default)]
pub struct Drawing {
    /// What the runs show, in one line.
    pub title: String,
    /// Each run's caption and its timeline, drawn one under the other.
    pub runs: Vec<(String, Timeline)>,
    /// What to see in them, measured from the runs (lanes, peak overlap...).
    pub note: String,
}

impl Drawing {
    /// A drawing of no runs yet, titled `title`.
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            ..Self::default()
        }
    }

    /// Adds a run, drawn under the previous ones.
    #[must_use]
    pub fn run(mut self, caption: impl Into<String>, timeline: Timeline) -> Self {
        self.runs.push((caption.into(), timeline));
        self
    }

    /// Sets the line that says what to see.
    #[must_use]
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }

    /// The runs as lane charts on one time axis ([`charts_on_one_axis`]).
    pub fn chart(&self, width: usize, max_lanes: usize) -> String {
        let runs: Vec<(&str, &Timeline)> = self
            .runs
            .iter()
            .map(|(caption, timeline)| (caption.as_str(), timeline))
            .collect();
        charts_on_one_axis(&runs, width, max_lanes)
    }

    /// Prints the title, the charts and the note, indented by two spaces and
    /// at most 72 columns wide, as the demos do.
    /// The title and the note are wrapped at word boundaries.
    pub fn print(&self) {
        println!();
        for line in wrap(&self.title, 70) {
            println!("  {line}");
        }
        for line in self.chart(70, 8).lines() {
            println!("  {line}");
        }
        for line in wrap(&self.note, 70) {
            println!("  {line}");
        }
    }
}

/// `text` in lines of at most `width` characters, broken between words (a
/// longer word gets a line of its own): how a drawing's title and note are
/// printed, and drawn.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn interval(lane: &str, start_ms: u64, end_ms: u64) -> Interval {
        Interval {
            name: "job",
            lane: lane.to_owned(),
            start: Duration::from_millis(start_ms),
            end: Duration::from_millis(end_ms),
        }
    }

    #[test]
    fn overlap_counts_intervals_open_at_once() {
        let timeline = Timeline::new(vec![
            interval("a", 0, 10),
            interval("b", 5, 15),
            interval("c", 10, 20),
        ]);
        // c starts as a ends: b and c, never three.
        assert_eq!(timeline.peak_overlap(), 2);
        assert_eq!(timeline.lanes(), ["a", "b", "c"]);
        assert_eq!(timeline.longest_gap("a"), None);
    }

    #[test]
    fn the_chart_shows_who_was_busy_when() {
        let timeline = Timeline::new(vec![
            interval("worker 1", 0, 50),
            interval("worker 2", 50, 100),
            interval("worker 1", 65, 100),
        ]);
        let chart = timeline.chart(15, 8);
        let rows: Vec<&str> = chart.lines().collect();
        // Four columns of 25 ms: worker 1 is busy for 10 ms of the third.
        assert_eq!(rows[0], "worker 1 │██▌█│");
        assert_eq!(rows[1], "worker 2 │··██│");
        assert!(rows[..2].iter().all(|r| r.chars().count() <= 15), "{chart}");
        assert!(rows[2].ends_with("0 100.0 ms"), "{chart}");
        assert_eq!(
            timeline.longest_gap("worker 1"),
            Some(Duration::from_millis(15))
        );
    }

    #[test]
    fn numbered_lanes_are_drawn_by_number() {
        let timeline = Timeline::new(vec![
            interval("worker 10", 0, 10),
            interval("worker 2", 5, 10),
            interval("worker 7", 6, 10),
        ]);
        assert_eq!(timeline.lanes(), ["worker 10", "worker 2", "worker 7"]);
        let labels: Vec<String> = timeline
            .chart(40, 2)
            .lines()
            .map(|row| row.split('│').next().unwrap_or_default().trim().to_owned())
            .collect();
        assert_eq!(labels[..2], ["worker 2", "worker 7"]);
        assert!(labels[2].contains("1 more lane"), "{labels:?}");
    }

    #[test]
    fn runs_on_one_axis_share_the_longest_length() {
        let serial = Timeline::new(vec![interval("main", 0, 40)]);
        let threads = Timeline::new(vec![interval("cell 0", 0, 10), interval("cell 1", 0, 10)]);
        let text = charts_on_one_axis(&[("serial", &serial), ("threads", &threads)], 13, 8);
        let rows: Vec<&str> = text.lines().collect();
        assert_eq!(rows[0], "serial");
        assert_eq!(rows[1], "  main │████│");
        assert_eq!(rows[3], "threads");
        assert_eq!(rows[4], "cell 0 │█···│");
        assert!(rows[6].trim_end().ends_with("40.0 ms"), "{text}");
    }

    #[test]
    fn long_lines_wrap_between_words() {
        assert_eq!(wrap("one two three four", 9), ["one two", "three", "four"]);
        assert_eq!(wrap("a verylongword b", 4), ["a", "verylongword", "b"]);
        assert!(wrap("", 10).is_empty());
    }

    #[test]
    fn a_shorter_run_ends_early_on_a_shared_axis() {
        let short = Timeline::new(vec![interval("worker 1", 0, 25)]);
        let rows = short.chart_over(15, 8, Duration::from_millis(100));
        assert!(rows.starts_with("worker 1 │█···│"), "{rows}");
        assert!(rows.trim_end().ends_with("0 100.0 ms"), "{rows}");
    }

    #[test]
    fn spans_on_threads_are_recorded_with_their_lanes() {
        // Alone, so no other test's spans are recorded with these.
        if !crate::testing::alone_in_process(
            module_path!(),
            "spans_on_threads_are_recorded_with_their_lanes",
        ) {
            return;
        }
        let ((), timeline) = record(|| {
            thread::scope(|scope| {
                for n in 0..3 {
                    thread::Builder::new()
                        .name(format!("worker {n}"))
                        .spawn_scoped(scope, || {
                            let _job = tracing::info_span!("job").entered();
                        })
                        .expect("threads start");
                }
            });
            let _other = tracing::info_span!("stage", lane = "stage resize").entered();
        });
        let jobs = timeline.named("job");
        assert_eq!(jobs.intervals().len(), 3);
        let mut lanes = jobs.lanes();
        lanes.sort_unstable();
        assert_eq!(lanes, ["worker 0", "worker 1", "worker 2"]);
        assert_eq!(timeline.named("stage").lanes(), ["stage resize"]);
        // Outside a recording, nothing is kept: no layer is interested, so
        // the span is disabled — it costs what it costs with no subscriber.
        let ignored = tracing::info_span!("job");
        assert!(
            ignored.is_disabled(),
            "a span outside a recording is disabled"
        );
        let _ignored = ignored.entered();
        let ((), empty) = record(|| {});
        assert!(empty.intervals().is_empty());
    }
}
