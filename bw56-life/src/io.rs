//! The simulated I/O each cell does, and the error that names a failing cell.
//!
//! In the book, `game_logic` does blocking I/O (a socket read, say) before it
//! applies the rule, and in the second half of item 58 `count_neighbors` does
//! some too. That I/O is what makes concurrency worth having: a grid of N cells
//! waits N times per generation. [`CellIo`] makes the wait real and
//! configurable:
//!
//! - a **latency** per call, spent blocked in the kernel
//!   ([`std::thread::sleep`]) for thread strategies, or awaiting the runtime's
//!   timer ([`Timer`]) for async ones, so a thread is never held by a future;
//! - whether `count_neighbors` does I/O as well ([`CellIo::with_neighbor_io`]);
//! - a **fault** for one chosen cell ([`Fault`]): an [`io::Error`] or a panic,
//!   in either phase, which every strategy must report as a
//!   [`SimulationError`] naming the cell;
//! - an optional [`InFlight`] gauge counting the waits in progress, so tests
//!   can observe how many cells really overlapped.
//!
//! Every strategy in items 56–60 calls the same two methods,
//! [`CellIo::count_neighbors`] and [`CellIo::game_logic`] (or their `_async`
//! forms); only *where* they run changes from lesson to lesson.

use std::any::Any;
use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use course_support::InFlight;

use crate::grid::State;
use crate::rules;

/// Which of the two I/O calls of a cell a [`Fault`] hits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// The I/O in `count_neighbors` (only done when enabled with
    /// [`CellIo::with_neighbor_io`]).
    Neighbors,
    /// The I/O in `game_logic`.
    Logic,
}

/// What goes wrong at the faulty cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// The I/O call returns an [`io::Error`] (kind `ConnectionReset`).
    Error,
    /// The I/O call panics, as a bug in the cell's code would.
    Panic,
}

/// A failure injected at one cell, in one phase, every time it is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fault {
    /// Row of the failing cell.
    pub y: usize,
    /// Column of the failing cell.
    pub x: usize,
    /// Which call fails.
    pub phase: Phase,
    /// How it fails.
    pub kind: FaultKind,
}

impl Fault {
    /// The `game_logic` I/O of cell `(y, x)` returns an error.
    pub fn error_at(y: usize, x: usize) -> Self {
        Self {
            y,
            x,
            phase: Phase::Logic,
            kind: FaultKind::Error,
        }
    }

    /// The `game_logic` I/O of cell `(y, x)` panics.
    pub fn panic_at(y: usize, x: usize) -> Self {
        Self {
            kind: FaultKind::Panic,
            ..Self::error_at(y, x)
        }
    }

    /// The same fault, moved to the given phase.
    pub fn in_phase(self, phase: Phase) -> Self {
        Self { phase, ..self }
    }
}

/// An async runtime's timer, so the async form of the I/O works on any
/// runtime (tokio, smol, async-std) without this crate depending on one.
pub trait Timer {
    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send;
}

/// The I/O of every cell: its latency, whether neighbour counting does I/O
/// too, an optional injected fault and an optional concurrency gauge.
///
/// Cheap to clone (the gauge is shared), so each worker thread or task can own
/// a copy.
#[derive(Clone, Debug, Default)]
pub struct CellIo {
    latency: Duration,
    neighbor_io: bool,
    fault: Option<Fault>,
    gauge: Option<Arc<InFlight>>,
}

impl CellIo {
    /// I/O that waits `latency` in every `game_logic` call.
    pub fn new(latency: Duration) -> Self {
        Self {
            latency,
            ..Self::default()
        }
    }

    /// No I/O at all: the pure CPU workload (item 64).
    pub fn none() -> Self {
        Self::default()
    }

    /// Makes `count_neighbors` wait `latency` as well (item 58's second step).
    pub fn with_neighbor_io(mut self, enabled: bool) -> Self {
        self.neighbor_io = enabled;
        self
    }

    /// Injects `fault`.
    pub fn with_fault(mut self, fault: Fault) -> Self {
        self.fault = Some(fault);
        self
    }

    /// Counts every wait on `gauge` while it is in progress.
    pub fn with_gauge(mut self, gauge: Arc<InFlight>) -> Self {
        self.gauge = Some(gauge);
        self
    }

    /// The latency of one I/O call.
    pub fn latency(&self) -> Duration {
        self.latency
    }

    /// Whether `count_neighbors` does I/O too.
    pub fn neighbor_io(&self) -> bool {
        self.neighbor_io
    }

    /// The injected fault, if any.
    pub fn fault(&self) -> Option<Fault> {
        self.fault
    }

    /// How many I/O calls one generation makes per cell (1 or 2).
    pub fn calls_per_cell(&self) -> u32 {
        if self.neighbor_io { 2 } else { 1 }
    }

    /// `count_neighbors` with its I/O (if enabled), blocking the thread.
    pub fn count_neighbors(
        &self,
        y: usize,
        x: usize,
        get: impl Fn(isize, isize) -> State,
    ) -> io::Result<u8> {
        if self.neighbor_io {
            self.wait_blocking(Phase::Neighbors, y, x)?;
        }
        Ok(rules::count_neighbors(y, x, get))
    }

    /// `game_logic` with its I/O, blocking the thread.
    pub fn game_logic(&self, y: usize, x: usize, state: State, neighbors: u8) -> io::Result<State> {
        self.wait_blocking(Phase::Logic, y, x)?;
        Ok(rules::game_logic(state, neighbors))
    }

    /// `count_neighbors` with its I/O (if enabled), awaiting `timer`.
    pub async fn count_neighbors_async(
        &self,
        timer: &impl Timer,
        y: usize,
        x: usize,
        get: impl Fn(isize, isize) -> State,
    ) -> io::Result<u8> {
        if self.neighbor_io {
            self.wait_async(timer, Phase::Neighbors, y, x).await?;
        }
        Ok(rules::count_neighbors(y, x, get))
    }

    /// `game_logic` with its I/O, awaiting `timer`.
    pub async fn game_logic_async(
        &self,
        timer: &impl Timer,
        y: usize,
        x: usize,
        state: State,
        neighbors: u8,
    ) -> io::Result<State> {
        self.wait_async(timer, Phase::Logic, y, x).await?;
        Ok(rules::game_logic(state, neighbors))
    }

    /// One blocking I/O call of cell `(y, x)` in `phase`.
    ///
    /// The wait is a `cell io` span (fields `y`, `x`): on a timeline, the
    /// time this cell's thread spent waiting.
    pub fn wait_blocking(&self, phase: Phase, y: usize, x: usize) -> io::Result<()> {
        let _span = tracing::info_span!("cell io", y, x).entered();
        let _in_flight = self.gauge.as_deref().map(InFlight::enter);
        self.check_fault(phase, y, x)?;
        if !self.latency.is_zero() {
            precise_timers_for_this_thread();
            std::thread::sleep(self.latency);
        }
        Ok(())
    }

    /// One async I/O call of cell `(y, x)` in `phase`: the task is suspended
    /// on the runtime's timer, leaving the thread free for other cells.
    ///
    /// The wait is a `cell io` span (fields `y`, `x`), from the call to its
    /// end, however many times the task is suspended in between.
    pub async fn wait_async(
        &self,
        timer: &impl Timer,
        phase: Phase,
        y: usize,
        x: usize,
    ) -> io::Result<()> {
        // Kept, boxed, only while something records spans: a million cells
        // may wait at once (item 60), and a span held across the `.await`
        // would grow each one's future by its size; a box that is not there
        // costs one word. The span is not entered: it is the wait from its
        // creation to its drop, which is what the timelines draw.
        let _span = {
            let span = tracing::info_span!("cell io", y, x);
            (!span.is_disabled()).then(|| Box::new(span))
        };
        let _in_flight = self.gauge.as_deref().map(InFlight::enter);
        self.check_fault(phase, y, x)?;
        if !self.latency.is_zero() {
            timer.sleep(self.latency).await;
        }
        Ok(())
    }

    fn check_fault(&self, phase: Phase, y: usize, x: usize) -> io::Result<()> {
        match self.fault {
            Some(f) if (f.y, f.x, f.phase) == (y, x, phase) => match f.kind {
                FaultKind::Error => Err(io::Error::new(
                    io::ErrorKind::ConnectionReset,
                    format!("injected I/O failure at cell ({y}, {x}) in {phase:?}"),
                )),
                FaultKind::Panic => panic!("injected panic at cell ({y}, {x}) in {phase:?}"),
            },
            _ => Ok(()),
        }
    }
}

/// Asks the kernel to wake this thread on time from its sleeps, once per
/// thread (see [`crate::platform`]: Linux's timer slack).
fn precise_timers_for_this_thread() {
    thread_local! {
        static DONE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    DONE.with(|done| {
        if !done.replace(true) {
            crate::platform::lower_timer_slack();
        }
    });
}

/// A cell could not be computed: the book's `SimulationError(y, x)`, with the
/// cause as its source.
#[derive(Debug, thiserror::Error)]
#[error("simulating cell (y={y}, x={x}) failed")]
pub struct SimulationError {
    /// Row of the cell.
    pub y: usize,
    /// Column of the cell.
    pub x: usize,
    /// What went wrong there.
    #[source]
    pub source: CellError,
}

/// Why a cell failed.
#[derive(Debug, thiserror::Error)]
pub enum CellError {
    /// Its I/O returned an error.
    #[error("cell I/O failed")]
    Io(#[from] io::Error),
    /// The code computing it panicked; the payload's message is kept.
    #[error("the cell's code panicked: {0}")]
    Panicked(String),
}

impl SimulationError {
    /// Cell `(y, x)`'s I/O failed with `error`.
    pub fn io(y: usize, x: usize, error: io::Error) -> Self {
        Self {
            y,
            x,
            source: CellError::Io(error),
        }
    }

    /// The thread or task computing cell `(y, x)` panicked with `payload`
    /// (what [`std::thread::JoinHandle::join`] or a runtime's join returns).
    pub fn panicked(y: usize, x: usize, payload: Box<dyn Any + Send>) -> Self {
        Self {
            y,
            x,
            source: CellError::Panicked(panic_message(payload.as_ref())),
        }
    }

    /// The underlying I/O error, if that is what failed.
    pub fn io_error(&self) -> Option<&io::Error> {
        match &self.source {
            CellError::Io(e) => Some(e),
            CellError::Panicked(_) => None,
        }
    }

    /// True if the cell's code panicked.
    pub fn is_panic(&self) -> bool {
        matches!(self.source, CellError::Panicked(_))
    }
}

/// The message of a panic payload (`panic!` makes a `&str` or a `String`).
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a non-string panic payload".to_owned()
    }
}
