//! Mistake: a worker that stops as soon as its input is empty, as a polling
//! worker would. `try_recv` cannot tell "nothing yet" from "nothing ever", so
//! the items that arrive after a pause never come out.

use std::sync::Arc;
use std::thread::{self, JoinHandle};

use crossbeam_channel::{Receiver, Sender};

use crate::stage_workers::Work;

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
                while let Ok(item) = input.try_recv() {
                    if output.send(work(item)).is_err() {
                        break;
                    }
                }
            })
        })
        .collect()
}
