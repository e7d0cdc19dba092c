//! The claims of item 55, proved: one test binary with a module per
//! behaviour, so the lesson's tests compile and link once.
//!
//! `tests/threads_joined.rs` is a binary of its own: it observes the whole process
//! (its threads), which other tests running beside it would
//! disturb.

mod backpressure;
mod busy_queue;
mod exactly_once;
mod order;
mod panics;
mod queue_of_one;
mod sentinel;
mod shutdown;
mod task_done;
