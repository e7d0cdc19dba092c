//! Mistake: the handle of `spawn_blocking` awaited and its result thrown
//! away. The writes leave the loop, but a failed write goes unnoticed and
//! the lines after it are written as if nothing happened.

use std::io;
use std::sync::Arc;

use crate::write_off_the_loop::BlockingWrite;

pub async fn write_lines(write: BlockingWrite, lines: Vec<String>) -> io::Result<()> {
    for line in lines {
        let write = Arc::clone(&write);
        let _ = tokio::task::spawn_blocking(move || write(&line)).await;
    }
    Ok(())
}
