//! Each worker owns clones of both channel halves and loops on the blocking
//! `recv` until it fails, so the input's end ends the worker, the worker's
//! end drops its `Sender`, and the last one to go closes the output.

use std::sync::Arc;
use std::thread::{self, JoinHandle};

use crossbeam_channel::{Receiver, Sender};

/// What a stage does to one item; shared by all of the stage's workers.
pub type Work<In, Out> = Arc<dyn Fn(In) -> Out + Send + Sync>;

/// Starts `workers` threads that pass `work(item)` from `input` to `output`
/// until either side is closed.
pub fn start_stage<In, Out>(
    workers: usize,
    input: Receiver<In>,
    output: Sender<Out>,
    work: Work<In, Out>,
) -> Vec<JoinHandle<()>>
where
    In: Send + 'static,
    Out: Send + 'static,
{
    (0..workers)
        .map(|_| {
            let (input, output, work) = (input.clone(), output.clone(), Arc::clone(&work));
            thread::spawn(move || {
                // `iter` blocks while the input is empty and ends once it is
                // closed and drained.
                for item in input.iter() {
                    if output.send(work(item)).is_err() {
                        // Nobody downstream any more: stop taking items.
                        break;
                    }
                }
            })
        })
        .collect()
    // The `input` and `output` passed in are dropped here: from now on only
    // the workers hold the stage's ends.
}
