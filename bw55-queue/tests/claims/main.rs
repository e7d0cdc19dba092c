//! The claims of item 55, proved: one test binary with a module per
//! behaviour, so the lesson's tests compile and link once.

mod backpressure;
mod busy_queue;
mod exactly_once;
mod order;
mod panics;
mod queue_of_one;
mod sentinel;
mod shutdown;
mod task_done;
mod threads_joined;
mod timeline;
