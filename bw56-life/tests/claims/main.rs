//! The claims of item 56, proved: one test binary with a module per
//! behaviour, so the lesson's tests compile and link once.

mod cli;
mod patterns;
mod rules;
mod step_cell_in_isolation;
mod workload;
