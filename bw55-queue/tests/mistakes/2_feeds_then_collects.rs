//! Mistake: the caller sends every id and only then collects receipts. On
//! channels of one the pipeline holds a handful of items; the caller blocks on
//! a full input while the receipts it should be draining fill every channel
//! behind it — a deadlock.

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
        start(s, workers[0], &ids_rx, &images_tx, &stages.download);
        start(s, workers[1], &images_rx, &thumbnails_tx, &stages.resize);
        start(s, workers[2], &thumbnails_rx, &receipts_tx, &stages.upload);
        drop((images_tx, thumbnails_tx, receipts_tx));
        for id in 0..items {
            ids_tx.send(id).expect("the downloaders are listening");
        }
        drop(ids_tx);
        receipts_rx.iter().collect()
    })
}
