//! Mistake: `let _ = output.send(..)`. No panic, but when the next stage has
//! gone the workers go on taking every item and throwing the work away, and
//! the stage before them never learns that nobody wants more.

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
                for item in input.iter() {
                    let _ = output.send(work(item));
                }
            })
        })
        .collect()
}
