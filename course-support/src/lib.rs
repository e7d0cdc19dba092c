//! Helpers shared by every lesson of the course.
//!
//! Nothing here is a lesson in itself: these are the measuring tools the demos
//! and tests use, kept in one place so that every lesson reports its figures
//! the same way.
//!
//! - [`banner`] prints a demo's title and the machine line (cores, build
//!   profile) so every figure is read in context.
//! - [`timed`], [`best_of`] and [`fmt_duration`] measure and format
//!   wall-clock time.
//! - [`parse_duration`] reads durations such as `0`, `500us` or `1ms` from the
//!   command line.
//! - [`InFlight`] observes concurrency by instrumentation: how many calls are
//!   running right now, and the most that ever ran at once. Tests assert on
//!   that peak instead of on the clock.
//! - [`memory`] reads the process's resident and peak memory, and measures
//!   the peak of one phase of a run.
//! - [`threads`] counts the threads of this process as the system sees them.
//! - [`skipped`] words the line a demo prints for a section this operating
//!   system cannot run.
//! - [`testing`] runs a lesson's binary from its integration tests.
//! - [`timeline`] records the spans of a real run and draws them as a lane
//!   chart, or writes them to a Chrome trace file (`--trace FILE`).
//! - [`exercise`] is what every lesson's exercise checks share: a watchdog
//!   for the learner's code, an overlap probe, and failure messages that
//!   teach.
//!
//! What differs between Linux, macOS and Windows is kept in one private
//! module, `platform`; the functions above say in their docs what each
//! system provides.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub mod exercise;
pub mod memory;
mod platform;
pub mod testing;
pub mod threads;
pub mod timeline;

/// The build profile this binary was compiled with, as the demos print it.
///
/// `cargo run -p <lesson>` builds the workspace's dev profile, which the root
/// `Cargo.toml` optimises (opt-level 2, dependencies at 3) so demo figures are
/// representative; debug assertions stay on there, which is how the two are
/// told apart.
pub fn build_profile() -> &'static str {
    if cfg!(debug_assertions) {
        "dev (optimised, debug assertions on)"
    } else {
        "release"
    }
}

/// The number of CPU cores this process may run on.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The line a demo prints in place of a section this operating system cannot
/// run, naming the system and the reason: `skipped on macos: <why>`.
pub fn skipped(why: &str) -> String {
    format!("skipped on {}: {why}", std::env::consts::OS)
}

/// Prints a demo's title line and the context line every figure depends on.
///
/// ```text
/// == bw56-life: recognize when concurrency is necessary ==
/// cores: 2 | profile: dev (optimised, debug assertions on)
/// ```
pub fn banner(title: &str) {
    println!("== {title} ==");
    println!("cores: {} | profile: {}", cores(), build_profile());
}

/// Runs `f` and returns its result with the wall-clock time it took.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed())
}

/// Runs `f` `runs` times and returns the last result with the *shortest*
/// time: on a busy machine the minimum is the run least disturbed by others.
///
/// # Panics
///
/// If `runs` is zero.
pub fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (T, Duration) {
    assert!(runs > 0, "at least one run is needed");
    let (mut value, mut best) = timed(&mut f);
    for _ in 1..runs {
        let (v, elapsed) = timed(&mut f);
        value = v;
        best = best.min(elapsed);
    }
    (value, best)
}

/// Formats a duration with a unit that keeps three or four significant digits:
/// `12.3 µs`, `1043.2 ms`, `12.41 s`.
pub fn fmt_duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs >= 10.0 {
        format!("{secs:.2} s")
    } else if secs >= 1e-3 {
        format!("{:.1} ms", secs * 1e3)
    } else {
        format!("{:.1} µs", secs * 1e6)
    }
}

/// Parses a duration written as on the command line: `0`, `250us`, `1ms`,
/// `1.5s`, `2s 500ms` (any form `humantime` accepts, plus a bare `0`).
///
/// The error names the text and what was expected, ready to show to a user.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let trimmed = text.trim();
    if trimmed == "0" {
        return Ok(Duration::ZERO);
    }
    humantime::parse_duration(trimmed).map_err(|e| {
        format!("invalid duration {text:?}: {e}; expected a number with a unit, like 0, 500us, 1ms or 2s")
    })
}

/// A gauge of calls in flight: the current number and the highest ever seen.
///
/// Wrap the code whose concurrency you want to observe in
/// [`InFlight::enter`]; the returned guard counts the call as running until it
/// is dropped. [`InFlight::peak`] then tells how many ran at the same time —
/// the instrumented evidence tests use instead of timing.
///
/// ```
/// use course_support::InFlight;
/// use std::sync::Barrier;
///
/// let gauge = InFlight::default();
/// let barrier = Barrier::new(3);
/// std::thread::scope(|s| {
///     for _ in 0..3 {
///         s.spawn(|| {
///             let _call = gauge.enter();
///             // All three are inside before any leaves.
///             barrier.wait();
///         });
///     }
/// });
/// assert_eq!(gauge.peak(), 3);
/// assert_eq!(gauge.current(), 0);
/// ```
#[derive(Debug, Default)]
pub struct InFlight {
    current: AtomicUsize,
    peak: AtomicUsize,
}

impl InFlight {
    /// Creates a gauge with nothing in flight.
    pub const fn new() -> Self {
        Self {
            current: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
        }
    }

    /// Counts one call as in flight until the returned guard is dropped.
    pub fn enter(&self) -> InFlightGuard<'_> {
        // SeqCst keeps the reasoning simple: the increment and the peak update
        // are observed in one global order by every thread.
        let now = self.current.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        InFlightGuard { gauge: self }
    }

    /// Calls in flight right now.
    pub fn current(&self) -> usize {
        self.current.load(Ordering::SeqCst)
    }

    /// The most calls ever in flight at the same time.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// Forgets the peak (the current count is kept), e.g. between two runs.
    pub fn reset_peak(&self) {
        self.peak.store(self.current(), Ordering::SeqCst);
    }
}

/// Counts one call in flight on an [`InFlight`] gauge; dropping it ends the call.
#[derive(Debug)]
#[must_use = "the call counts as in flight only while the guard is alive"]
pub struct InFlightGuard<'a> {
    gauge: &'a InFlight,
}

impl Drop for InFlightGuard<'_> {
    fn drop(&mut self) {
        self.gauge.current.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_with_units_and_bare_zero() {
        assert_eq!(parse_duration("0"), Ok(Duration::ZERO));
        assert_eq!(parse_duration("500us"), Ok(Duration::from_micros(500)));
        assert_eq!(parse_duration("1ms"), Ok(Duration::from_millis(1)));
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
    }

    #[test]
    fn bad_duration_names_the_text() {
        let err = parse_duration("nonsense").expect_err("not a duration");
        assert!(err.contains("\"nonsense\""), "{err}");
        assert!(err.contains("1ms"), "{err}");
    }

    #[test]
    fn durations_format_with_a_fitting_unit() {
        assert_eq!(fmt_duration(Duration::from_micros(12)), "12.0 µs");
        assert_eq!(fmt_duration(Duration::from_micros(1_043_200)), "1043.2 ms");
        assert_eq!(fmt_duration(Duration::from_millis(12_410)), "12.41 s");
    }

    #[test]
    fn skipped_lines_name_the_system() {
        let line = skipped("no such thing here");
        assert!(line.starts_with("skipped on "), "{line}");
        assert!(line.contains(std::env::consts::OS), "{line}");
        assert!(line.ends_with(": no such thing here"), "{line}");
    }

    #[test]
    fn gauge_counts_nested_calls() {
        let gauge = InFlight::new();
        let a = gauge.enter();
        let b = gauge.enter();
        assert_eq!((gauge.current(), gauge.peak()), (2, 2));
        drop(a);
        drop(b);
        let _c = gauge.enter();
        assert_eq!((gauge.current(), gauge.peak()), (1, 2));
        gauge.reset_peak();
        assert_eq!(gauge.peak(), 1);
    }
}
