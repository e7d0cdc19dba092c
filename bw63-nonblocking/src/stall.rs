//! The mistake, measured: one task blocks, and everyone else waits.
//!
//! A tokio task runs on a runtime thread until its `poll` returns. A task that
//! calls [`std::thread::sleep`] (or a synchronous file write, or any long
//! computation) does not return from `poll` until the call is over, so for
//! that whole time **its thread polls no other task** and, on a current-thread
//! runtime, drives no timer or socket either.
//!
//! [`measure_stall`] builds a runtime, runs a [`Heartbeat`], and lets `blockers`
//! tasks each block for `block`. It reports three delays:
//!
//! - the heartbeat's worst lag: how late a timer-driven task ran;
//! - `spawned_first` and `spawned_last`: how long two tasks that the first
//!   blocker spawned *just before* blocking waited for their first poll.
//!
//! On a **current-thread** runtime (asyncio's model: one thread, one loop)
//! everything waits for the whole block. On a **multi-thread** runtime another
//! worker keeps the heartbeat going, so the block seems hidden — but only
//! partly:
//!
//! - block as many workers as there are and the runtime stops as completely
//!   as a current-thread one;
//! - even with a worker free, the **last task the blocked worker spawned (or
//!   woke)** waits for the whole block. tokio puts it in that worker's *LIFO
//!   slot*, a one-task fast path that other workers cannot steal from; the
//!   task spawned before it was pushed from the slot into the worker's queue,
//!   which idle workers do steal from, and runs almost at once. (This is how
//!   tokio 1.x's scheduler works; it is an implementation detail, which is
//!   exactly why code must not rely on other workers to cover for a blocked
//!   one.)

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use course_support::InFlight;
use tokio::runtime::Runtime;

use crate::heartbeat::{Heartbeat, LagStats};

/// Which tokio runtime to build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// One thread runs every task, timers and I/O — asyncio's event loop.
    CurrentThread,
    /// A pool of worker threads that steal work from each other.
    MultiThread {
        /// How many workers.
        workers: usize,
    },
}

impl fmt::Display for Flavor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CurrentThread => f.write_str("current-thread"),
            Self::MultiThread { workers } => write!(f, "multi-thread ({workers} workers)"),
        }
    }
}

impl Flavor {
    /// Builds a runtime of this flavour with timers and I/O enabled.
    pub fn build(self) -> std::io::Result<Runtime> {
        match self {
            Self::CurrentThread => tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build(),
            Self::MultiThread { workers } => tokio::runtime::Builder::new_multi_thread()
                .worker_threads(workers.max(1))
                .enable_all()
                .build(),
        }
    }

    /// How many tasks can be blocked at once before the runtime stops.
    pub fn workers(self) -> usize {
        match self {
            Self::CurrentThread => 1,
            Self::MultiThread { workers } => workers.max(1),
        }
    }
}

/// What [`measure_stall`] observed.
#[derive(Clone, Copy, Debug)]
pub struct StallReport {
    /// The runtime.
    pub flavor: Flavor,
    /// How many tasks blocked.
    pub blockers: usize,
    /// How long each blocked.
    pub block: Duration,
    /// The most blocking calls in progress at the same moment, counted by an
    /// [`InFlight`] gauge — evidence of how many threads were blocked at once.
    pub peak_blocked: usize,
    /// The heartbeat's lag over the whole run.
    pub heartbeat: LagStats,
    /// Time from spawn to first poll of the first of two tasks spawned by a
    /// blocker just before it blocked.
    pub spawned_first: Duration,
    /// The same for the second (last) one.
    pub spawned_last: Duration,
}

/// Builds a runtime of `flavor`, runs a heartbeat every `tick`, and lets
/// `blockers` tasks block for `block` each (`std::thread::sleep`: a real
/// blocking system call). See the [module docs](self).
///
/// # Errors
///
/// If the runtime cannot be built.
pub fn measure_stall(
    flavor: Flavor,
    blockers: usize,
    block: Duration,
    tick: Duration,
) -> std::io::Result<StallReport> {
    let runtime = flavor.build()?;
    let gauge = Arc::new(InFlight::new());
    let blockers = blockers.max(1);

    let (heartbeat, (spawned_first, spawned_last)) = runtime.block_on(async {
        let heartbeat = Heartbeat::start(tick);
        // Let the heartbeat run normally for a few ticks first, so that the
        // figures include punctual ticks as well as the late ones.
        tokio::time::sleep(tick * 4).await;

        // `tokio::spawn` from here (the `block_on` future, not a worker task)
        // goes to the runtime's shared queue, from which any free worker takes
        // it — so on a multi-thread runtime the blockers spread over workers.
        let mut tasks = Vec::with_capacity(blockers);
        for index in 0..blockers {
            let gauge = Arc::clone(&gauge);
            tasks.push(tokio::spawn(blocker(index == 0, block, gauge)));
        }
        let mut delays = (Duration::ZERO, Duration::ZERO);
        for task in tasks {
            if let Some(measured) = task.await.expect("a blocker does not panic") {
                delays = measured;
            }
        }

        tokio::time::sleep(tick * 4).await;
        (heartbeat.stop().await, delays)
    });

    Ok(StallReport {
        flavor,
        blockers,
        block,
        peak_blocked: gauge.peak(),
        heartbeat,
        spawned_first,
        spawned_last,
    })
}

/// One task that blocks its thread for `block`. The first one (`spawns`) also
/// spawns two tasks right before blocking and returns how long each waited to
/// be polled.
async fn blocker(
    spawns: bool,
    block: Duration,
    gauge: Arc<InFlight>,
) -> Option<(Duration, Duration)> {
    let victims = spawns.then(|| {
        // Each victim measures the time from its own spawn to its first poll.
        let first_at = Instant::now();
        let first = tokio::spawn(async move { first_at.elapsed() });
        let last_at = Instant::now();
        let last = tokio::spawn(async move { last_at.elapsed() });
        (first, last)
    });

    {
        let _blocked = gauge.enter();
        // THE MISTAKE: a blocking call inside a task. Nothing else runs on
        // this thread until it returns. (`tokio::time::sleep(block).await`
        // would instead return `Pending` and free the thread.)
        std::thread::sleep(block);
    }

    let (first, last) = victims?;
    Some((
        first.await.expect("the victim does not panic"),
        last.await.expect("the victim does not panic"),
    ))
}
