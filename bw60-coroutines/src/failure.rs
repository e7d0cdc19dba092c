//! A failing cell, and the evidence that the rest of its generation stopped.
//!
//! When one awaitable passed to `asyncio.gather` raises, `gather` re-raises
//! the exception at once and does not cancel the other tasks: they stay
//! scheduled. In the book they end soon after all the same, because each
//! generation runs under its own `asyncio.run(simulate(grid))`: when the
//! exception leaves `simulate`, `asyncio.run` cancels every task still
//! pending, waits until each has handled its `CancelledError`, and only then
//! re-raises. Had the generations shared one long-lived loop (one
//! `asyncio.run` around the whole simulation, or a caller that catches the
//! error and goes on), those tasks would keep doing their I/O in the
//! background until they finished. The Rust version cancels them inside
//! `simulate` itself (see [`simulate`](crate::simulate())), whatever runtime
//! or caller surrounds it, and this module
//! shows it the way a test would: by counting the waits in progress with the
//! [`InFlight`] gauge of the cells' I/O, not by reading the clock.

use std::sync::Arc;
use std::thread;
use std::time::Duration;

use anyhow::bail;
use bw56_life::{CellIo, Fault, Grid, SimulationError, Strategy};
use course_support::InFlight;

/// What happened around a generation that failed.
#[derive(Debug)]
pub struct Aftermath {
    /// The error the generation returned.
    pub error: SimulationError,
    /// How long the failing generation took to return.
    pub elapsed: Duration,
    /// The most cells ever waiting at once before the error came back.
    pub peak_in_flight: usize,
    /// Waits still in progress the moment `step` returned: 0 when every
    /// other cell was cancelled before the error was handed back.
    pub in_flight_after: usize,
    /// The most waits in progress at any time during `watch` after the
    /// return: 0 when no cell started new I/O after its generation ended.
    pub started_after: usize,
}

/// Runs one generation of `strategy` with `fault` injected into `io` and a
/// gauge on every wait, then watches for `watch` whether any cell's I/O is
/// still going on.
///
/// Fails if the generation does not fail: the fault must be inside the grid.
pub fn fail_and_watch(
    strategy: &mut dyn Strategy,
    grid: &Grid,
    io: &CellIo,
    fault: Fault,
    watch: Duration,
) -> anyhow::Result<Aftermath> {
    let gauge = Arc::new(InFlight::new());
    let io = io.clone().with_fault(fault).with_gauge(Arc::clone(&gauge));
    let (result, elapsed) = course_support::timed(|| strategy.step(grid, &io));
    // Read at once: nothing has had time to finish on its own yet.
    let in_flight_after = gauge.current();
    let peak_in_flight = gauge.peak();
    let Err(error) = result else {
        bail!(
            "{} did not fail with a fault at ({}, {})",
            strategy.name(),
            fault.y,
            fault.x
        );
    };
    // From here on the peak counts only waits that are in progress now or
    // start later. A cell left running would start its next wait within one
    // latency, so watching for a few latencies is enough to see it; the
    // sleep is an observation window, not a way to order anything.
    gauge.reset_peak();
    thread::sleep(watch);
    Ok(Aftermath {
        error,
        elapsed,
        peak_in_flight,
        in_flight_after,
        started_after: gauge.peak(),
    })
}
