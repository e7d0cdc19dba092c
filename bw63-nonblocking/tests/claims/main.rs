//! The claims of item 63, proved: one test binary with a module per
//! behaviour, so the lesson's tests compile and link once.

mod blocking_stalls_others;
mod slow_poll_detector;
mod tail_and_write;
mod timeline;
mod write_thread;
