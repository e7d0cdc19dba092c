//! The source and every stage are threads of their own, and each channel's
//! creator gives its halves away, so the caller only collects: nothing waits
//! on itself, and each channel ends when the last thread sending into it does.

use std::thread::{self, Scope};

use bw55_queue::work::{Receipt, Stages};
use crossbeam_channel::{Receiver, Sender, bounded};

/// Runs `0..items` through the three stages on channels of one item.
pub fn run_pipeline(items: u64, workers: [usize; 3], stages: &Stages) -> Vec<Receipt> {
    let (ids_tx, ids_rx) = bounded(1);
    let (images_tx, images_rx) = bounded(1);
    let (thumbnails_tx, thumbnails_rx) = bounded(1);
    let (receipts_tx, receipts_rx) = bounded(1);
    thread::scope(|s| {
        // The source is a thread, not the caller: feeding blocks whenever the
        // pipeline is full, and only the caller's collecting empties it.
        s.spawn(move || {
            for id in 0..items {
                if ids_tx.send(id).is_err() {
                    break;
                }
            }
        });
        // Each call takes its two channel halves by value and drops them
        // once they are cloned into the workers.
        stage(s, workers[0], ids_rx, images_tx, &stages.download);
        stage(s, workers[1], images_rx, thumbnails_tx, &stages.resize);
        stage(s, workers[2], thumbnails_rx, receipts_tx, &stages.upload);
        receipts_rx.iter().collect()
    })
}

/// Starts `workers` scoped threads passing `work(item)` from `input` to
/// `output`.
fn stage<'scope, In: Send + 'scope, Out: Send + 'scope>(
    s: &'scope Scope<'scope, '_>,
    workers: usize,
    input: Receiver<In>,
    output: Sender<Out>,
    work: &'scope (dyn Fn(In) -> Out + Send + Sync),
) {
    for _ in 0..workers {
        let (input, output) = (input.clone(), output.clone());
        s.spawn(move || {
            for item in input.iter() {
                if output.send(work(item)).is_err() {
                    break;
                }
            }
        });
    }
}
