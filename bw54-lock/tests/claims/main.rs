//! The claims of item 54, proved: one test binary with a module per
//! behaviour, so the lesson's tests compile and link once.

mod exact_counts;
mod loom;
#[path = "../shared/loom_sync.rs"]
mod loom_sync;
mod poisoning;
mod timeline;
