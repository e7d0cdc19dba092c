//! The small real run the demo draws and the README pictures: a heartbeat
//! beside a few slow writes, the writes first made on the event loop, then
//! handed to the writer thread, on one time axis.
//!
//! Both runs are the same workload on a current-thread runtime (asyncio's
//! single loop): a [`Heartbeat`] ticking every [`TICK`], and one task writing
//! [`WRITES`] lines to a disk that takes [`WRITE_COST`] per line. Only the
//! [`WritePath`] differs. The heartbeat's `tick` spans and the `write` spans
//! tell the story: on the loop, no tick can begin while a write runs, so the
//! heartbeat's lane has a gap as long as each write; on the writer thread the
//! loop stays free and the heartbeat keeps beating through every write.

use std::time::Duration;

use anyhow::{Context, ensure};
use course_support::fmt_duration;
use course_support::timeline::{self, Drawing, Interval, Timeline};

use crate::heartbeat::Heartbeat;
use crate::output::{OutputGuard, WritePath};
use crate::sink::DiskCost;
use crate::stall::Flavor;

/// The heartbeat's interval in the drawn runs.
pub const TICK: Duration = Duration::from_millis(2);
/// Lines written in each drawn run.
pub const WRITES: usize = 4;
/// What one line costs on the drawn runs' simulated slow disk.
pub const WRITE_COST: Duration = Duration::from_millis(15);
/// Ticks the writing task waits for before each write and after the last,
/// so that every write has heartbeat ticks on both sides of it.
const TICKS_BETWEEN_WRITES: u64 = 3;

/// Runs the drawn workload once, writing the given way, and returns its
/// timeline: the heartbeat's `tick` spans (lane `heartbeat`) and the `write`
/// spans (lane `event loop`, `blocking pool` or `writer`, where each ran).
///
/// The timeline holds every span of the process that closed meanwhile: call
/// it where nothing else runs beside it (see [`timeline::record`]).
///
/// # Errors
///
/// If the runtime, the temporary output or a write fails.
pub fn heartbeat_beside_writes(how: WritePath) -> anyhow::Result<Timeline> {
    let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
    let path = dir.path().join(format!("drawn-{how}.log"));
    let runtime = Flavor::CurrentThread
        .build()
        .context("cannot build a runtime")?;
    let (written, recorded) = timeline::record(|| {
        runtime.block_on(async {
            let heartbeat = Heartbeat::start(TICK);
            let guard = OutputGuard::open(&path, how, DiskCost::SlowDisk(WRITE_COST)).await?;
            let output = guard.output();
            for n in 0..WRITES {
                // Waiting for ticks, not for a time, puts heartbeat ticks
                // before every write however busy the machine is.
                heartbeat.ticked(TICKS_BETWEEN_WRITES).await;
                output.write(format!("drawn line {n}")).await?;
            }
            heartbeat.ticked(TICKS_BETWEEN_WRITES).await;
            drop(output);
            let written = guard.close().await?;
            heartbeat.stop().await;
            anyhow::Ok(written)
        })
    });
    let written = written.with_context(|| format!("the drawn {how} run failed"))?;
    ensure!(
        written.lines == WRITES as u64,
        "the drawn {how} run wrote {} of {WRITES} lines",
        written.lines
    );
    Ok(recorded)
}

/// What a drawn run's spans measure: the heartbeat's pulse beside the writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pulse {
    /// `write` spans.
    pub writes: usize,
    /// The longest of them.
    pub longest_write: Duration,
    /// `tick` spans.
    pub ticks: usize,
    /// Ticks that began while a write was open.
    pub ticks_during_writes: usize,
    /// The longest time between two ticks.
    pub longest_gap: Duration,
}

impl Pulse {
    /// Measures a drawn run's timeline.
    pub fn of(run: &Timeline) -> Self {
        let ticks = run.named("tick");
        let writes = run.named("write");
        let ticks_during_writes = ticks
            .intervals()
            .iter()
            .filter(|tick| {
                writes
                    .intervals()
                    .iter()
                    .any(|write| write.start < tick.start && tick.start < write.end)
            })
            .count();
        Self {
            writes: writes.intervals().len(),
            longest_write: writes
                .intervals()
                .iter()
                .map(|w| w.end - w.start)
                .max()
                .unwrap_or_default(),
            ticks: ticks.intervals().len(),
            ticks_during_writes,
            longest_gap: ticks.longest_gap("heartbeat").unwrap_or_default(),
        }
    }
}

/// Runs the workload with the writes on the loop, then on the writer thread,
/// and draws both on one time axis: a row for the heartbeat, a row for where
/// the writes ran.
///
/// A tick lasts a few microseconds, far less than a column of the chart, so
/// each is drawn [`TICK`]` / 2` wide; the note's figures are measured from the
/// spans as they were.
///
/// # Errors
///
/// If a run fails.
pub fn drawing() -> anyhow::Result<Drawing> {
    let on_loop = heartbeat_beside_writes(WritePath::Blocking)?;
    let on_thread = heartbeat_beside_writes(WritePath::WriterThread)?;
    let (blocked, free) = (Pulse::of(&on_loop), Pulse::of(&on_thread));
    let note = format!(
        "on the loop: the heartbeat's longest gap {} >= the longest write {}, {} of {} ticks \
         began during a write; on the writer thread: longest gap {} beside writes of up to {}, \
         {} of {} ticks began during a write",
        fmt_duration(blocked.longest_gap),
        fmt_duration(blocked.longest_write),
        blocked.ticks_during_writes,
        blocked.ticks,
        fmt_duration(free.longest_gap),
        fmt_duration(free.longest_write),
        free.ticks_during_writes,
        free.ticks,
    );
    Ok(Drawing::new(format!(
        "a heartbeat every {} beside {WRITES} writes of {} each, on a current-thread runtime",
        fmt_duration(TICK),
        fmt_duration(WRITE_COST)
    ))
    .run(
        "writes on the event loop: the heartbeat stops while each one runs",
        shown(&on_loop),
    )
    .run(
        "writes on the writer thread: the heartbeat keeps beating",
        shown(&on_thread),
    )
    .note(note))
}

/// The run as drawn: its ticks and writes, each tick widened to half a tick
/// interval so that it shows in a chart column.
fn shown(run: &Timeline) -> Timeline {
    let intervals = run
        .intervals()
        .iter()
        .filter(|i| i.name == "tick" || i.name == "write")
        .map(|i| match i.name {
            "tick" => Interval {
                end: i.start + TICK / 2,
                ..i.clone()
            },
            _ => i.clone(),
        })
        .collect();
    Timeline::new(intervals)
}
