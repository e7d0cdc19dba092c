//! The claims of item 58, proved: one test binary with a module per
//! behaviour, so the lesson's tests compile and link once.

mod bounded;
mod cli;
mod failures;
mod matches_serial;
mod timeline;
