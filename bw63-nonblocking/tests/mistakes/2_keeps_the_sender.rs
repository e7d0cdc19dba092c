//! Mistake: joining the thread (off the loop, as it should be) while the
//! sender is still alive. The thread waits for more lines, the join waits
//! for the thread: a deadlock. `writer.lines_tx` is dropped only when this
//! function returns, and it never does.

use std::io;

use crate::close_writer::LineWriter;

pub async fn close(writer: LineWriter) -> io::Result<u64> {
    let thread = writer.thread;
    tokio::task::spawn_blocking(move || thread.join())
        .await
        .map_err(io::Error::other)?
        .map_err(|_| io::Error::other("the writer thread panicked"))?
}
