//! Mistake: `send(..).expect(..)`, as if the next stage were always there.
//! When it has gone, every worker of this stage panics instead of stopping.

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
                    output
                        .send(work(item))
                        .expect("the next stage is listening");
                }
            })
        })
        .collect()
}
