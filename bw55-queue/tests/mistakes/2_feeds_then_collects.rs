//! Mistake: the caller sends every id and only then collects receipts. On
//! channels of one the pipeline holds a handful of items; the caller blocks on
//! a full input while the receipts it should be draining fill every channel
//! behind it — a deadlock.

use std::thread;

use bw55_queue::work::{Receipt, Stages};
use crossbeam_channel::bounded;

pub fn run_pipeline(items: u64, workers: [usize; 3], stages: &Stages) -> Vec<Receipt> {
    let (ids_tx, ids_rx) = bounded::<u64>(1);
    let (images_tx, images_rx) = bounded(1);
    let (thumbnails_tx, thumbnails_rx) = bounded(1);
    let (receipts_tx, receipts_rx) = bounded(1);
    thread::scope(|s| {
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
        drop((
            ids_rx,
            images_tx,
            images_rx,
            thumbnails_tx,
            thumbnails_rx,
            receipts_tx,
        ));
        for id in 0..items {
            ids_tx.send(id).expect("the downloaders are listening");
        }
        drop(ids_tx);
        receipts_rx.iter().collect()
    })
}
