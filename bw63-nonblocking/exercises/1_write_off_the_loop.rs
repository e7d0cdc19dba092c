//! 연습 63.1 — 블로킹 쓰기를 루프 밖으로 옮기기 / Exercise 63.1 — move the blocking write off the loop
//!
//! The book's tailer writes every line it reads to the output with a blocking
//! call, right inside its coroutine, and the event loop stops for each write.
//! Write the lines so that the runtime's thread never waits for the disk.
//!
//! Run the checks: `cargo test -p bw63-nonblocking --features exercises --test exercises exercise_63_1`

use std::io;
use std::sync::Arc;

/// The slow disk: writes one line and returns once it is on disk, blocking
/// the calling thread the whole time (like `LineSink::write_line` with a
/// slow disk). It can be called from any thread.
pub type BlockingWrite = Arc<dyn Fn(&str) -> io::Result<()> + Send + Sync>;

/// Writes every line of `lines` through `write`, in order, each exactly once,
/// and returns once the last one is written — without ever blocking the
/// thread that polls this future.
///
/// Calling `write` here, inside the `async fn`, would hold the runtime's
/// thread for the whole write. Hand each write to a thread that may block
/// (`tokio::task::spawn_blocking`, which needs an owned, `'static` closure:
/// clone the `Arc` and move the line in) and `.await` it: awaiting yields
/// the thread to other tasks, while `JoinHandle::join` or a blocking `recv`
/// would hold it. Stop at the first failed write and return its error.
///
/// The checks run this on a one-thread runtime beside a heartbeat task, with
/// the lesson's `SlowPollDetector` watching it, and verify that:
/// - every line is written once, in order;
/// - the heartbeat ticks while each write is in progress, and the detector
///   reports no poll of yours that held the thread (a blocking call);
/// - a failing write's error is returned, and no later line is written.
pub async fn write_lines(write: BlockingWrite, lines: Vec<String>) -> io::Result<()> {
    todo!()
}
