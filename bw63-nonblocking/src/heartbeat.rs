//! A heartbeat task that measures its own lag: the runtime's pulse.
//!
//! The heartbeat sleeps on the runtime's timer for a fixed interval, again and
//! again, and notes how late each wake-up was. A timer cannot fire early, and
//! a task that is ready still has to wait for a thread of the runtime to poll
//! it — so the lateness is exactly how long the runtime was too busy (or
//! blocked) to run a ready task. It is what every other task of the program
//! experiences too: a request handler, a socket read, a keep-alive.
//!
//! Each tick is a `tick` span on the lane `heartbeat`, so a timeline shows
//! the pulse — and, when the runtime is blocked, the gap in it. Every tick of
//! one heartbeat is a child of one long-lived `heartbeat` span, which is what
//! keeps them on one lane in a trace file that groups spans by their root
//! (`Lanes::Tasks`).

use std::time::Duration;

use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep_until};

/// A running heartbeat task. Stop it with [`Heartbeat::stop`] to get its lag
/// figures.
#[derive(Debug)]
pub struct Heartbeat {
    /// Sending on (or dropping) this ends the loop.
    stop_tx: oneshot::Sender<()>,
    /// The task; it returns every lag it measured.
    task: JoinHandle<Vec<Duration>>,
    /// How many times it has ticked so far.
    ticks_rx: watch::Receiver<u64>,
}

impl Heartbeat {
    /// Spawns the heartbeat on the current runtime, ticking every `interval`.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime, as [`tokio::spawn`] does.
    pub fn start(interval: Duration) -> Self {
        let (stop_tx, stop_rx) = oneshot::channel();
        let (ticks_tx, ticks_rx) = watch::channel(0);
        // A root span, whatever span is current here: its ticks form one
        // lane of their own.
        let lane = tracing::info_span!(parent: None, "heartbeat");
        let task = tokio::spawn(beat(interval, stop_rx, ticks_tx, lane));
        Self {
            stop_tx,
            task,
            ticks_rx,
        }
    }

    /// Waits, without blocking, until the heartbeat has ticked `n` more
    /// times. Returns early if the heartbeat has stopped.
    pub async fn ticked(&self, n: u64) {
        let mut ticks_rx = self.ticks_rx.clone();
        let target = *ticks_rx.borrow_and_update() + n;
        // `Err`: the loop has ended, and no tick will come.
        let _ = ticks_rx.wait_for(|&ticks| ticks >= target).await;
    }

    /// Stops the heartbeat and summarises the lag of every tick.
    pub async fn stop(self) -> LagStats {
        // The receiver may be gone only if the task panicked; the join below
        // reports that.
        let _ = self.stop_tx.send(());
        let lags = self
            .task
            .await
            .expect("the heartbeat loop does not panic and is never aborted");
        LagStats::from_samples(lags)
    }
}

/// Runs a heartbeat for `duration` on a runtime with nothing else to do: the
/// noise floor of the machine (timer granularity, other processes), against
/// which the lag of a busy run is read.
pub async fn idle_lag(interval: Duration, duration: Duration) -> LagStats {
    let heartbeat = Heartbeat::start(interval);
    tokio::time::sleep(duration).await;
    heartbeat.stop().await
}

/// The heartbeat loop: sleep until the next deadline, record how late we woke.
async fn beat(
    interval: Duration,
    mut stop_rx: oneshot::Receiver<()>,
    ticks_tx: watch::Sender<u64>,
    lane: tracing::Span,
) -> Vec<Duration> {
    let mut lags = Vec::new();
    loop {
        // Each deadline is set from *now*, not from the previous deadline: a
        // heartbeat that fell behind does not then fire a burst of catch-up
        // ticks, each of which would look punctual.
        let deadline = Instant::now() + interval;
        tokio::select! {
            // `biased`: look at the timer first, so a tick that fired is
            // recorded even if the stop signal arrived at the same time.
            biased;
            () = sleep_until(deadline) => {
                // The tick's span opens and closes inside this one poll: it
                // marks the moment the heartbeat ran, so the gaps between
                // ticks are the times the runtime could not run it.
                let _tick = tracing::info_span!(parent: &lane, "tick", lane = "heartbeat").entered();
                lags.push(Instant::now().saturating_duration_since(deadline));
                ticks_tx.send_modify(|ticks| *ticks += 1);
            }
            _ = &mut stop_rx => {
                // A tick that was due but never got to run still counts: a
                // runtime blocked from the first deadline to the stop would
                // otherwise report no lag at all. Its lag so far is a lower
                // bound of what it would have been.
                let now = Instant::now();
                if now > deadline {
                    lags.push(now - deadline);
                }
                break;
            }
        }
    }
    lags
}

/// Lag figures of a heartbeat: how late its ticks were.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LagStats {
    /// Ticks measured.
    pub ticks: usize,
    /// The median lag.
    pub p50: Duration,
    /// The 99th percentile (nearest rank): at most 1 tick in 100 was later.
    pub p99: Duration,
    /// The worst lag.
    pub max: Duration,
}

impl LagStats {
    /// Summarises lag samples (in any order); all zero when there are none.
    pub fn from_samples(mut samples: Vec<Duration>) -> Self {
        if samples.is_empty() {
            return Self::default();
        }
        samples.sort_unstable();
        Self {
            ticks: samples.len(),
            p50: percentile(&samples, 50),
            p99: percentile(&samples, 99),
            max: *samples.last().expect("checked non-empty above"),
        }
    }
}

/// The nearest-rank percentile of sorted, non-empty samples.
fn percentile(sorted: &[Duration], p: usize) -> Duration {
    // Rank ceil(p/100 × n), 1-based.
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted[rank - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: u64) -> Duration {
        Duration::from_millis(v)
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let samples: Vec<_> = (1..=100).rev().map(ms).collect();
        let stats = LagStats::from_samples(samples);
        assert_eq!(stats.ticks, 100);
        assert_eq!((stats.p50, stats.p99, stats.max), (ms(50), ms(99), ms(100)));

        let one = LagStats::from_samples(vec![ms(7)]);
        assert_eq!((one.p50, one.p99, one.max), (ms(7), ms(7), ms(7)));
        assert_eq!(LagStats::from_samples(Vec::new()), LagStats::default());
    }

    // Paused time is right here: the subject is the heartbeat's arithmetic,
    // not real blocking. With the clock paused, an idle runtime is never late.
    #[tokio::test(start_paused = true)]
    async fn an_idle_runtime_has_no_lag() {
        let heartbeat = Heartbeat::start(ms(10));
        tokio::time::sleep(ms(1_000)).await;
        let stats = heartbeat.stop().await;
        assert!(stats.ticks >= 90, "{stats:?}");
        assert_eq!(stats.max, Duration::ZERO, "{stats:?}");
    }
}
