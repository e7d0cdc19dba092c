//! Mistake: the tailers are started on the blocking pool, but never awaited.
//! The function returns at once, with the tailers still running: the caller
//! flushes and reads an output they are still writing.

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use bw62_mix::{AsyncOutput, Stop, tail_file};
use tokio::runtime::Handle;

pub async fn run_tasks_mixed(
    inputs: &[PathBuf],
    output: &AsyncOutput,
    interval: Duration,
    stop: &Stop,
) -> io::Result<u64> {
    let handle = Handle::current();
    for path in inputs {
        let (path, output, handle, stop) =
            (path.clone(), output.clone(), handle.clone(), stop.clone());
        tokio::task::spawn_blocking(move || {
            let mut write = |line: &[u8]| handle.block_on(output.write_line(line));
            tail_file(&path, interval, &stop, &mut write)
        });
    }
    Ok(0)
}
