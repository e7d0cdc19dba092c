//! Mistake: the workers get clones of each `Sender`, but the originals stay
//! alive in the caller while it collects. Every receipt arrives, and then the
//! upload stage waits for ever for more thumbnails: their channel still has a
//! sender, so it never ends, and neither do the channels after it.

use std::thread;

use bw55_queue::work::{Receipt, Stages};
use crossbeam_channel::bounded;

use super::stages::start;

pub fn run_pipeline(items: u64, workers: [usize; 3], stages: &Stages) -> Vec<Receipt> {
    let (ids_tx, ids_rx) = bounded(1);
    let (images_tx, images_rx) = bounded(1);
    let (thumbnails_tx, thumbnails_rx) = bounded(1);
    let (receipts_tx, receipts_rx) = bounded(1);
    thread::scope(|s| {
        s.spawn(move || {
            for id in 0..items {
                ids_tx.send(id).expect("the downloaders are listening");
            }
        });
        start(s, workers[0], &ids_rx, &images_tx, &stages.download);
        start(s, workers[1], &images_rx, &thumbnails_tx, &stages.resize);
        start(s, workers[2], &thumbnails_rx, &receipts_tx, &stages.upload);
        // `images_tx`, `thumbnails_tx` and `receipts_tx` are still alive here.
        receipts_rx.iter().collect()
    })
}
