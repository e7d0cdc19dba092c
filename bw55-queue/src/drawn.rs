//! The small real runs the demo draws and the README pictures: ten photos
//! through the polling pipeline and through the channel pipeline, on one
//! time axis, each worker a lane.

use std::thread;
use std::time::Duration;

use anyhow::{Context, ensure};
use course_support::fmt_duration;
use course_support::timeline::{self, Drawing};

use crate::busy_queue::{self, IdleWait};
use crate::photos::{self, Config};
use crate::pipeline::Capacity;
use crate::work::{Stages, check_receipts, download, resize, upload};

/// Photos in each drawn run: enough for the stages to overlap, few enough
/// to read item by item.
pub const DRAWN_ITEMS: u64 = 10;

/// Workers of download, resize and upload in the drawn channel run: resize
/// is the slow stage, so it gets two.
pub const DRAWN_WORKERS: [usize; 3] = [1, 2, 1];

/// How long the drawn download and upload wait per item.
const QUICK: Duration = Duration::from_millis(1);
/// How long the drawn resize waits per item: the slow stage.
const SLOW: Duration = Duration::from_millis(4);
/// How long an idle polling worker sleeps: the book's 10 ms.
const POLL_SLEEP: Duration = Duration::from_millis(10);

/// The drawn stages: each waits before its real work, as a download, a
/// resize service and an upload would, long enough for a chart to show every
/// item.
fn drawn_stages() -> Stages {
    let (quick, slow) = (QUICK, SLOW);
    Stages {
        download: Box::new(move |id| {
            thread::sleep(quick);
            download(id)
        }),
        resize: Box::new(move |image| {
            thread::sleep(slow);
            resize(image)
        }),
        upload: Box::new(move |thumbnail| {
            thread::sleep(quick);
            upload(thumbnail)
        }),
    }
}

/// Runs [`DRAWN_ITEMS`] photos through the book's polling pipeline (one
/// worker per stage, 10 ms sleeps when idle) and then through the channel
/// pipeline ([`DRAWN_WORKERS`], channels of 2), both on stages that wait
/// 1 ms (download, upload) or 4 ms (resize) per item before their real work,
/// and draws their `stage job` spans on one time axis: a lane per worker,
/// `█` while it works on an item. The note says, from the recorded spans,
/// how long each run took and how many jobs ran at once.
///
/// # Errors
///
/// If a run fails or loses, repeats or corrupts an item.
pub fn drawing() -> anyhow::Result<Drawing> {
    let stages = drawn_stages();
    let idle = IdleWait::Sleep(POLL_SLEEP);
    let (polled, polling) = timeline::record(|| busy_queue::run(0..DRAWN_ITEMS, &stages, idle));
    check_receipts(&polled.receipts, DRAWN_ITEMS)
        .map_err(anyhow::Error::msg)
        .context("the drawn polling run")?;
    let config = Config {
        workers: DRAWN_WORKERS,
        capacity: Capacity::Bounded(2),
    };
    let (piped, channels) = timeline::record(|| photos::run(0..DRAWN_ITEMS, &stages, &config));
    let piped = piped.context("the drawn channel run")?;
    check_receipts(&piped.receipts, DRAWN_ITEMS)
        .map_err(anyhow::Error::msg)
        .context("the drawn channel run")?;
    let (polling, channels) = (polling.named("stage job"), channels.named("stage job"));
    ensure!(
        !polling.intervals().is_empty() && !channels.intervals().is_empty(),
        "the drawn runs recorded no stage jobs"
    );
    let [d, r, u] = DRAWN_WORKERS;
    let note = format!(
        "polling: {} lanes, at most {} jobs at once, last upload after {}; \
         channels ({d},{r},{u} workers): {} lanes, at most {} jobs at once, last upload after {}",
        polling.lanes().len(),
        polling.peak_overlap(),
        fmt_duration(polling.length()),
        channels.lanes().len(),
        channels.peak_overlap(),
        fmt_duration(channels.length()),
    );
    Ok(Drawing::new(format!(
        "{DRAWN_ITEMS} photos; download {}, resize {}, upload {}; a lane per worker",
        ms(QUICK),
        ms(SLOW),
        ms(QUICK)
    ))
    .run(
        format!(
            "before: MyQueue, one polling worker per stage, idle ones sleep {}",
            ms(POLL_SLEEP)
        ),
        polling,
    )
    .run(
        format!("after: channels, {d},{r},{u} workers, each woken as an item arrives"),
        channels,
    )
    .note(note))
}

/// `4 ms`: the drawn durations are whole milliseconds.
fn ms(duration: Duration) -> String {
    format!("{} ms", duration.as_millis())
}
