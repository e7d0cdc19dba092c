//! The claims of item 61, proved: one test binary with a module per
//! behaviour, so the lesson's tests compile and link once.

mod bad_input;
mod book_games;
mod concurrent_sessions;
mod descriptor_limit;
mod load;
mod protocol;
mod session_guard;
mod shutdown;
mod timeline;
