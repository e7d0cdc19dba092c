//! Mistake: the deadlock of feeding before collecting "fixed" by taking the
//! bound away. It no longer hangs, but nothing holds the downloads back: they
//! run as far ahead of the uploads as the machine lets them, and every item
//! in between waits in memory.

use std::thread;

use bw55_queue::work::{Receipt, Stages};
use crossbeam_channel::unbounded;

pub fn run_pipeline(items: u64, workers: [usize; 3], stages: &Stages) -> Vec<Receipt> {
    let (ids_tx, ids_rx) = unbounded::<u64>();
    let (images_tx, images_rx) = unbounded();
    let (thumbnails_tx, thumbnails_rx) = unbounded();
    let (receipts_tx, receipts_rx) = unbounded();
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
        drop((images_tx, thumbnails_tx, receipts_tx));
        for id in 0..items {
            ids_tx.send(id).expect("the downloaders are listening");
        }
        drop(ids_tx);
        receipts_rx.iter().collect()
    })
}
