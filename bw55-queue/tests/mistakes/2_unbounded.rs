//! Mistake: the deadlock of feeding before collecting "fixed" by taking the
//! bound away. It no longer hangs, but nothing holds the downloads back: they
//! run as far ahead of the uploads as the machine lets them, and every item
//! in between waits in memory.

use std::thread;

use bw55_queue::work::{Receipt, Stages};
use crossbeam_channel::unbounded;

use super::stages::start;

pub fn run_pipeline(items: u64, workers: [usize; 3], stages: &Stages) -> Vec<Receipt> {
    let (ids_tx, ids_rx) = unbounded();
    let (images_tx, images_rx) = unbounded();
    let (thumbnails_tx, thumbnails_rx) = unbounded();
    let (receipts_tx, receipts_rx) = unbounded();
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
