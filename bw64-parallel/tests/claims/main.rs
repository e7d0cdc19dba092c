//! The claims of item 64, proved: one test binary with a module per
//! behaviour, so the lesson's tests compile and link once.

mod cli;
mod executor;
mod gcd;
mod life;
mod process_pool;
mod timeline;
