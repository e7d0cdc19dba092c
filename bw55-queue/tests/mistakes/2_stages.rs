//! What the wrong pipelines of exercise 55.2 share, so that each of them
//! differs from the others only in its mistake: starting a stage's workers,
//! each with its own clones of the channel halves it is lent.

use std::thread::Scope;

use crossbeam_channel::{Receiver, Sender};

pub fn start<'scope, In: Send + 'scope, Out: Send + 'scope>(
    s: &'scope Scope<'scope, '_>,
    workers: usize,
    input: &Receiver<In>,
    output: &Sender<Out>,
    work: &'scope (dyn Fn(In) -> Out + Send + Sync),
) {
    for _ in 0..workers {
        let (input, output) = (input.clone(), output.clone());
        s.spawn(move || {
            for item in input.iter() {
                output
                    .send(work(item))
                    .expect("the next stage is listening");
            }
        });
    }
}
