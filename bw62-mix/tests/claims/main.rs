//! The claims of item 62, proved: one test binary with a module per
//! behaviour, so the lesson's tests compile and link once.
//!
//! `tests/threads_held.rs` is a binary of its own: it observes the whole process
//! (its threads), which other tests running beside it would
//! disturb.

mod bad_input;
mod every_version_merges_all_lines;
mod partial_lines;
mod shutdown;
mod verify_catches_violations;
