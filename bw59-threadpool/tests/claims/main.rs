//! The claims of item 59, proved: one test binary with a module per
//! behaviour, so the lesson's tests compile and link once.

mod cli;
mod pool;
mod shutdown;
mod simulate;
mod timeline;
