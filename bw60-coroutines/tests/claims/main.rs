//! The claims of item 60, proved: one test binary with a module per
//! behaviour, so the lesson's tests compile and link once.

mod cli;
mod failure;
mod footprint;
mod matches_serial;
mod scale;
mod timeline;
