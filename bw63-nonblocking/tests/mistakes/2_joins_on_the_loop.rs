//! Mistake: the sender dropped, then `JoinHandle::join` called right in the
//! `async fn`. Nothing is lost, but the runtime's thread waits, blocked,
//! while the writer works through its backlog.

use std::io;

use crate::close_writer::LineWriter;

pub async fn close(writer: LineWriter) -> io::Result<u64> {
    drop(writer.lines_tx);
    writer
        .thread
        .join()
        .map_err(|_| io::Error::other("the writer thread panicked"))?
}
