//! The claims of item 59, proved: one test binary with a module per
//! behaviour, so the lesson's tests compile and link once.
//!
//! `tests/shutdown.rs` is a binary of its own: it observes the whole process
//! (its threads), which other tests running beside it would
//! disturb.

mod cli;
mod pool;
mod simulate;
