//! Each write goes to the blocking pool and the task awaits its handle, one
//! line at a time: awaiting keeps the runtime free and the order of the
//! lines, and the handle hands back the write's error.

use std::io;
use std::sync::Arc;

/// The slow disk: writes one line and blocks its caller until it is on disk.
pub type BlockingWrite = Arc<dyn Fn(&str) -> io::Result<()> + Send + Sync>;

/// Writes `lines` in order through `write`, off the runtime's thread.
pub async fn write_lines(write: BlockingWrite, lines: Vec<String>) -> io::Result<()> {
    for line in lines {
        let write = Arc::clone(&write);
        // The closure runs on a blocking-pool thread; `.await` yields this
        // task's thread until it is done. The outer `?` is the join (the
        // write panicked), the inner one the write's own error.
        tokio::task::spawn_blocking(move || write(&line))
            .await
            .map_err(io::Error::other)??;
    }
    Ok(())
}
