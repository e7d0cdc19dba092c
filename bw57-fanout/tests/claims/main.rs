//! The claims of item 57, proved: one test binary with a module per
//! behaviour, so the lesson's tests compile and link once.

mod failures;
mod matches_serial;
mod thread_start_failure;
mod timeline;
