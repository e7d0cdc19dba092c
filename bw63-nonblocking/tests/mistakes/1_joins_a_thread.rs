//! Mistake: the write moved to a thread of its own, but waited for with
//! `JoinHandle::join`, a blocking call. The disk work is off the loop, yet
//! the loop still stops until it is done.

use std::io;
use std::sync::Arc;

use crate::write_off_the_loop::BlockingWrite;

pub async fn write_lines(write: BlockingWrite, lines: Vec<String>) -> io::Result<()> {
    for line in lines {
        let write = Arc::clone(&write);
        std::thread::spawn(move || write(&line))
            .join()
            .map_err(|_| io::Error::other("the write panicked"))??;
    }
    Ok(())
}
