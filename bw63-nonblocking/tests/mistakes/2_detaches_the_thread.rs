//! Mistake: closing the channel and returning at once. The thread goes on
//! writing, detached: when `close` returns the last lines are not in the
//! file yet, and a process that exits now loses them, and any error.

use std::io;

use crate::close_writer::LineWriter;

pub async fn close(writer: LineWriter) -> io::Result<u64> {
    let LineWriter {
        lines_tx, thread, ..
    } = writer;
    drop(lines_tx);
    drop(thread);
    Ok(0)
}
