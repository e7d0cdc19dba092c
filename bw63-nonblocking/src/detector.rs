//! A slow-poll detector: Rust's stand-in for asyncio's debug mode.
//!
//! `asyncio.run(main(), debug=True)` times every callback the event loop runs
//! and logs `Executing <Task ...> took 0.503 seconds` when one exceeds
//! `loop.slow_callback_duration` (100 ms by default). tokio has no such switch
//! in its stable API, but the idea fits in a few lines, because in Rust a task
//! *is* a value we can wrap: [`Watched`] is a future around the task's future
//! whose `poll` starts a clock, polls the inner future, and stops the clock.
//!
//! A poll is the time a task holds the thread between two `.await` points
//! that actually wait. A task that only awaits is polled for microseconds at a
//! time; a task that calls `std::thread::sleep`, a synchronous file write or a
//! long computation is polled for as long as that call takes, and during that
//! time the thread polls nothing else. That is the measurement the book's
//! debug mode makes, and the one [`SlowPollDetector`] reports.
//!
//! The time is wall-clock time, so it also counts any moment the operating
//! system took the thread away mid-poll. On a busy machine that is real noise,
//! so each report also says what the thread did meanwhile, from the kernel's
//! per-thread accounting ([`ThreadUsage`], Linux): a poll that *slept* made a
//! blocking call (a sleep, a disk wait, a contended lock); one that stayed on
//! the CPU computed; one that did neither was preempted — the machine was
//! busy, not the task.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use tokio::task::JoinHandle;

/// One poll that took longer than the threshold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlowPoll {
    /// The name the task was watched under.
    pub task: Arc<str>,
    /// How long that poll held the thread.
    pub duration: Duration,
    /// Which poll of the task it was, counting from 1.
    pub poll: u64,
    /// The threshold it exceeded.
    pub threshold: Duration,
    /// What the thread did during the poll; `None` where the kernel does not
    /// tell (outside Linux).
    pub usage: Option<ThreadUsage>,
}

/// What a thread did during one poll, from `getrusage(RUSAGE_THREAD)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ThreadUsage {
    /// Time the thread ran on a CPU (user and system time).
    pub on_cpu: Duration,
    /// Times the thread went to sleep in the kernel (voluntary context
    /// switches): each one is a blocking call that had to wait.
    pub slept: u64,
    /// Times the kernel took the CPU away to run something else (involuntary
    /// context switches).
    pub preempted: u64,
}

/// Why a poll was slow, as far as [`ThreadUsage`] tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlowCause {
    /// The thread slept inside the poll: a blocking call — the task's fault.
    Blocked,
    /// The thread was on the CPU most of the poll: a long computation — also
    /// the task's fault.
    Computing,
    /// The thread neither slept nor computed much: it waited for a CPU while
    /// other processes ran. The machine was busy, not the task.
    Preempted,
    /// No usage figures on this platform.
    Unknown,
}

impl SlowPoll {
    /// Why this poll was slow, as far as the usage figures tell.
    pub fn cause(&self) -> SlowCause {
        match self.usage {
            None => SlowCause::Unknown,
            Some(usage) if usage.slept > 0 => SlowCause::Blocked,
            Some(usage) if usage.on_cpu * 2 >= self.duration => SlowCause::Computing,
            Some(_) => SlowCause::Preempted,
        }
    }
}

impl fmt::Display for SlowCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Blocked => "it blocked (slept in the kernel)",
            Self::Computing => "it computed",
            Self::Preempted => "preempted: the machine was busy",
            Self::Unknown => "cause unknown",
        })
    }
}

impl fmt::Display for SlowPoll {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "slow poll: task '{}' held its thread for {} in poll #{} (threshold {})",
            self.task,
            course_support::fmt_duration(self.duration),
            self.poll,
            course_support::fmt_duration(self.threshold)
        )?;
        if let Some(usage) = self.usage {
            write!(
                f,
                ": {} on CPU, slept {}x, preempted {}x — {}",
                course_support::fmt_duration(usage.on_cpu),
                usage.slept,
                usage.preempted,
                self.cause()
            )?;
        }
        Ok(())
    }
}

/// Times every poll of the futures it watches and reports the slow ones.
///
/// Cloning is cheap and every clone reports into the same collector, so one
/// detector can watch every task of a program.
///
/// ```
/// use std::time::Duration;
/// use bw63_nonblocking::SlowPollDetector;
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let detector = SlowPollDetector::new(Duration::from_millis(50));
/// detector
///     .spawn("blocker", async {
///         // The mistake this lesson is about: a blocking call inside a task.
///         std::thread::sleep(Duration::from_millis(120));
///     })
///     .await
///     .unwrap();
/// let reports = detector.reports();
/// assert_eq!(reports.len(), 1);
/// assert_eq!(&*reports[0].task, "blocker");
/// assert!(reports[0].duration >= Duration::from_millis(120));
/// # });
/// ```
#[derive(Clone, Debug)]
pub struct SlowPollDetector {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// Polls longer than this are reported.
    threshold: Duration,
    /// Also print each report to stderr as it happens, as asyncio logs.
    echo: bool,
    /// Every report, in the order they happened. A `std::sync::Mutex`, not
    /// tokio's: it is held only to push or copy, never across an `.await`.
    reports: Mutex<Vec<SlowPoll>>,
}

impl SlowPollDetector {
    /// A detector reporting polls longer than `threshold` into its collector.
    pub fn new(threshold: Duration) -> Self {
        Self::build(threshold, false)
    }

    /// Like [`SlowPollDetector::new`], and also prints each report to stderr
    /// the moment it happens (what a demo or a debug build wants).
    pub fn echoing(threshold: Duration) -> Self {
        Self::build(threshold, true)
    }

    fn build(threshold: Duration, echo: bool) -> Self {
        Self {
            inner: Arc::new(Inner {
                threshold,
                echo,
                reports: Mutex::new(Vec::new()),
            }),
        }
    }

    /// The threshold above which a poll is reported.
    pub fn threshold(&self) -> Duration {
        self.inner.threshold
    }

    /// Wraps `future` so that every poll of it is timed under `name`.
    pub fn watch<F: Future>(&self, name: impl Into<Arc<str>>, future: F) -> Watched<F> {
        Watched {
            // Boxing pins the inner future on the heap, which makes `Watched`
            // itself `Unpin`: its `poll` can then reach the fields without any
            // `unsafe` pin projection. One allocation per task is nothing
            // next to what the task does.
            future: Box::pin(future),
            name: name.into(),
            polls: 0,
            detector: self.clone(),
        }
    }

    /// Spawns `future` on the current runtime as a watched task named `name`.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime, as [`tokio::spawn`] does.
    pub fn spawn<F>(&self, name: impl Into<Arc<str>>, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        tokio::spawn(self.watch(name, future))
    }

    /// A copy of every report so far, oldest first.
    pub fn reports(&self) -> Vec<SlowPoll> {
        self.lock().clone()
    }

    /// Forgets every report so far.
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn record(&self, report: SlowPoll) {
        if self.inner.echo {
            eprintln!("{report}");
        }
        self.lock().push(report);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<SlowPoll>> {
        // Nothing can panic while the lock is held (a push or a clone), so a
        // poisoned lock still holds a consistent list: keep using it.
        self.inner
            .reports
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A future whose every poll is timed by a [`SlowPollDetector`].
#[derive(Debug)]
#[must_use = "futures do nothing unless polled"]
pub struct Watched<F> {
    future: Pin<Box<F>>,
    name: Arc<str>,
    polls: u64,
    detector: SlowPollDetector,
}

impl<F: Future> Future for Watched<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // `Watched` is `Unpin` (see `watch`), so plain `&mut` access is fine.
        let this = self.get_mut();
        this.polls += 1;
        // Two cheap system calls per poll (well under a microsecond each):
        // the price of knowing *why* a slow poll was slow.
        let usage_before = usage::sample();
        let started = Instant::now();
        let result = this.future.as_mut().poll(cx);
        let took = started.elapsed();
        if took > this.detector.inner.threshold {
            let usage = usage_before.zip(usage::sample()).map(|(a, b)| b.since(&a));
            this.detector.record(SlowPoll {
                task: Arc::clone(&this.name),
                duration: took,
                poll: this.polls,
                threshold: this.detector.inner.threshold,
                usage,
            });
        }
        result
    }
}

/// Per-thread resource usage, where the kernel reports it.
mod usage {
    use super::ThreadUsage;

    /// A reading of the calling thread's counters.
    #[derive(Clone, Copy, Debug)]
    pub(super) struct Sample {
        cpu_micros: i64,
        voluntary: i64,
        involuntary: i64,
    }

    impl Sample {
        /// The usage between `earlier` and this sample.
        pub(super) fn since(&self, earlier: &Sample) -> ThreadUsage {
            let delta = |now: i64, then: i64| u64::try_from(now - then).unwrap_or(0);
            ThreadUsage {
                on_cpu: std::time::Duration::from_micros(delta(
                    self.cpu_micros,
                    earlier.cpu_micros,
                )),
                slept: delta(self.voluntary, earlier.voluntary),
                preempted: delta(self.involuntary, earlier.involuntary),
            }
        }
    }

    /// Reads the calling thread's counters (`getrusage(RUSAGE_THREAD)`).
    #[cfg(target_os = "linux")]
    // `c_long` is `i64` on 64-bit Linux (where the conversion is a no-op) but
    // `i32` on 32-bit targets.
    #[allow(clippy::useless_conversion)]
    pub(super) fn sample() -> Option<Sample> {
        use nix::sys::resource::{UsageWho, getrusage};
        use nix::sys::time::TimeValLike;

        let usage = getrusage(UsageWho::RUSAGE_THREAD).ok()?;
        Some(Sample {
            cpu_micros: usage.user_time().num_microseconds()
                + usage.system_time().num_microseconds(),
            voluntary: i64::from(usage.voluntary_context_switches()),
            involuntary: i64::from(usage.involuntary_context_switches()),
        })
    }

    /// Elsewhere the detector still times polls, without the breakdown.
    #[cfg(not(target_os = "linux"))]
    pub(super) fn sample() -> Option<Sample> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn poll_with(usage: Option<ThreadUsage>) -> SlowPoll {
        SlowPoll {
            task: "t".into(),
            duration: Duration::from_millis(100),
            poll: 1,
            threshold: Duration::from_millis(10),
            usage,
        }
    }

    #[test]
    fn causes_follow_the_thread_usage() {
        let usage = |cpu_ms, slept, preempted| {
            Some(ThreadUsage {
                on_cpu: Duration::from_millis(cpu_ms),
                slept,
                preempted,
            })
        };
        assert_eq!(poll_with(usage(0, 1, 0)).cause(), SlowCause::Blocked);
        // Sleeping wins over being preempted: the task did block.
        assert_eq!(poll_with(usage(1, 2, 5)).cause(), SlowCause::Blocked);
        assert_eq!(poll_with(usage(90, 0, 3)).cause(), SlowCause::Computing);
        assert_eq!(poll_with(usage(1, 0, 1)).cause(), SlowCause::Preempted);
        assert_eq!(poll_with(None).cause(), SlowCause::Unknown);
    }

    #[test]
    fn a_report_reads_as_a_sentence() {
        let report = poll_with(Some(ThreadUsage {
            on_cpu: Duration::ZERO,
            slept: 1,
            preempted: 0,
        }));
        assert_eq!(
            report.to_string(),
            "slow poll: task 't' held its thread for 100.0 ms in poll #1 (threshold 10.0 ms): \
             0.0 µs on CPU, slept 1x, preempted 0x — it blocked (slept in the kernel)"
        );
    }
}
