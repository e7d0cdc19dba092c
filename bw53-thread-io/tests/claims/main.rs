//! The claims of item 53, proved: one test binary with a module per
//! behaviour, so the lesson's tests compile and link once.

mod blocking_calls_overlap;
mod threads_match_serial;
mod timeline;
