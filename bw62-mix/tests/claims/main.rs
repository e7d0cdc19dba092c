//! The claims of item 62, proved: one test binary with a module per
//! behaviour, so the lesson's tests compile and link once.

mod bad_input;
mod every_version_merges_all_lines;
mod partial_lines;
mod shutdown;
mod threads_held;
mod timeline;
mod verify_catches_violations;
