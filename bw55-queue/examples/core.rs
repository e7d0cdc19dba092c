//! Item 55 in one page: use queues to coordinate work between threads.
//!
//! The book's pipeline: photos are downloaded, resized and uploaded by 3, 4
//! and 5 workers, each stage feeding the next through a bounded channel. No
//! sentinel is needed to stop it: a channel ends when its last `Sender` is
//! dropped, so the end ripples down the stages by itself.
//!
//! Run it: `cargo run -p bw55-queue --example core` (every photo arrives once
//! and every stage ends), then `cargo run -p bw55-queue --example core -- --break`
//! (one `Sender` is kept alive: the pipeline never ends, and a watchdog says so).

use std::thread::{self, Scope};
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, bounded};

const PHOTOS: usize = 1000;
const NEXT_ALIVE: &str = "a channel's receivers outlive its senders here";
const WATCHDOG: Duration = Duration::from_secs(1);

/// A photo: its id and its pixels.
type Image = (usize, Vec<u8>);

// The book's three steps, standing for a network read, CPU work and a network write.
fn download(id: usize) -> Image {
    (id, vec![(id % 251) as u8; 64 * 64])
}

fn resize((id, pixels): Image) -> Image {
    (id, pixels.into_iter().step_by(4).collect())
}

fn upload((id, pixels): Image) -> (usize, usize) {
    (id, pixels.len())
}

/// Starts `workers` threads that each take items from `rx` until it ends,
/// and send what `work` makes of them to `tx`.
fn stage<'s, In: Send + 's, Out: Send + 's>(
    s: &'s Scope<'s, '_>,
    workers: usize,
    (rx, tx): (Receiver<In>, Sender<Out>),
    work: fn(In) -> Out,
) {
    for _ in 0..workers {
        let (rx, tx) = (rx.clone(), tx.clone());
        s.spawn(move || {
            for item in rx {
                tx.send(work(item)).expect(NEXT_ALIVE);
            }
        });
    }
    // The `rx` and `tx` passed in are dropped here: from now on only the
    // workers hold them, so the next stage ends when the last worker ends.
}

/// Runs every photo through the pipeline. Returns the receipts, and how many
/// had arrived when the watchdog found the pipeline stuck (if it did).
fn run(broken: bool) -> (Vec<(usize, usize)>, Option<usize>) {
    let (download_tx, download_rx) = bounded(10);
    let (resize_tx, resize_rx) = bounded(10);
    let (upload_tx, upload_rx) = bounded(10);
    let (done_tx, done_rx) = bounded(10);
    // The mistake: a clone of a stage's sender kept "for later" and never dropped.
    let mut stray = broken.then(|| resize_tx.clone());
    thread::scope(|s| {
        // The source: when it has sent every id, it drops its sender, and the end begins.
        s.spawn(move || {
            for id in 0..PHOTOS {
                download_tx.send(id).expect(NEXT_ALIVE);
            }
        });
        stage(s, 3, (download_rx, resize_tx), download);
        stage(s, 4, (resize_rx, upload_tx), resize);
        stage(s, 5, (upload_rx, done_tx), upload);
        let (mut receipts, mut stuck_at) = (Vec::new(), None);
        loop {
            match done_rx.recv_timeout(WATCHDOG) {
                Ok(receipt) => receipts.push(receipt),
                // Every uploader has ended: the pipeline is done.
                Err(RecvTimeoutError::Disconnected) => break,
                // The watchdog: no photo and no end for a whole second. It
                // drops the stray sender, so the stages can end and be joined.
                Err(RecvTimeoutError::Timeout) => {
                    stuck_at = Some(receipts.len());
                    stray.take();
                }
            }
        }
        (receipts, stuck_at)
    })
}

// Try: give `resize` a `thread::sleep(Duration::from_millis(1))` and one
// worker: downloads block once 10 images wait (backpressure), the run takes ~1 s.
// Try: `bounded(0)`: every send waits for a receiver; still every photo arrives.
fn main() {
    let broken = std::env::args().any(|a| a == "--break");
    let (mut receipts, stuck_at) = run(broken);
    receipts.sort_unstable();
    let expected: Vec<_> = (0..PHOTOS).map(|id| (id, 32 * 32)).collect();
    assert_eq!(receipts, expected, "each photo should arrive once, resized");
    match stuck_at {
        None => println!(
            "ok: {PHOTOS} photos through 3+4+5 workers, each once; every stage ended by itself"
        ),
        Some(n) => println!(
            "broken: the pipeline never ended: {n} of {PHOTOS} photos were through, then \
             nothing for {WATCHDOG:?} until the watchdog dropped the stray Sender"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropping_every_sender_ends_the_pipeline() {
        let (receipts, stuck_at) = run(false);
        assert_eq!((receipts.len(), stuck_at), (PHOTOS, None));
    }

    #[test]
    fn a_stray_sender_keeps_it_running_after_the_last_photo() {
        let (receipts, stuck_at) = run(true);
        assert_eq!((receipts.len(), stuck_at), (PHOTOS, Some(PHOTOS)));
    }
}
