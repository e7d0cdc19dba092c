//! The claims of item 52, proved: one test binary with a module per
//! behaviour, so the lesson's tests compile and link once.
//!
//! `tests/no_leftovers.rs` is a binary of its own: it observes the whole process
//! (its children), which other tests running beside it would
//! disturb.

// Child processes, signals and zombies: Unix only, like the whole lesson.
#![cfg(unix)]

mod bounded;
mod capture;
mod chain;
mod common;
mod dropping;
mod environment;
mod parallel;
mod polling;
mod streaming;
mod timeline;
mod timeout;
