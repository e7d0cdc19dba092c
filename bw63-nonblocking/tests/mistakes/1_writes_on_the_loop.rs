//! Mistake: the blocking write called right in the `async fn`. It compiles
//! and writes every line, but each write holds the runtime's only thread:
//! the heartbeat, and every other task, waits for the disk.

use std::io;

use crate::write_off_the_loop::BlockingWrite;

pub async fn write_lines(write: BlockingWrite, lines: Vec<String>) -> io::Result<()> {
    for line in lines {
        write(&line)?;
    }
    Ok(())
}
