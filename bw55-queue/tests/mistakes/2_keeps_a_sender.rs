//! Mistake: the workers get clones of each `Sender`, but the originals stay
//! alive in the caller while it collects. Every receipt arrives, and then the
//! upload stage waits for ever for more thumbnails: their channel still has a
//! sender, so it never ends, and neither do the channels after it.

use std::thread;

use bw55_queue::work::{Receipt, Stages};
use crossbeam_channel::bounded;

pub fn run_pipeline(items: u64, workers: [usize; 3], stages: &Stages) -> Vec<Receipt> {
    let (ids_tx, ids_rx) = bounded::<u64>(1);
    let (images_tx, images_rx) = bounded(1);
    let (thumbnails_tx, thumbnails_rx) = bounded(1);
    let (receipts_tx, receipts_rx) = bounded(1);
    thread::scope(|s| {
        s.spawn(move || (0..items).for_each(|id| ids_tx.send(id).expect("open")));
        for _ in 0..workers[0] {
            let (input, output) = (ids_rx.clone(), images_tx.clone());
            s.spawn(move || {
                input
                    .iter()
                    .for_each(|id| output.send((stages.download)(id)).expect("open"))
            });
        }
        for _ in 0..workers[1] {
            let (input, output) = (images_rx.clone(), thumbnails_tx.clone());
            s.spawn(move || {
                input
                    .iter()
                    .for_each(|image| output.send((stages.resize)(image)).expect("open"))
            });
        }
        for _ in 0..workers[2] {
            let (input, output) = (thumbnails_rx.clone(), receipts_tx.clone());
            s.spawn(move || {
                input
                    .iter()
                    .for_each(|thumb| output.send((stages.upload)(thumb)).expect("open"))
            });
        }
        // `images_tx`, `thumbnails_tx` and `receipts_tx` are still alive here.
        receipts_rx.iter().collect()
    })
}
