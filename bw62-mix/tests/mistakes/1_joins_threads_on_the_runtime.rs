//! Mistake: the tailers run on plain threads (fine), but the async function
//! waits for them with the blocking `JoinHandle::join`. That holds the
//! runtime's only thread for as long as the tailers run: every other task on
//! it — here the heartbeat — stands still.

use std::io;
use std::path::PathBuf;
use std::thread;
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
    let tailers: Vec<_> = inputs
        .iter()
        .map(|path| {
            let (path, output, handle, stop) =
                (path.clone(), output.clone(), handle.clone(), stop.clone());
            thread::spawn(move || {
                let mut write = |line: &[u8]| handle.block_on(output.write_line(line));
                tail_file(&path, interval, &stop, &mut write)
            })
        })
        .collect();
    let mut lines = 0;
    for tailer in tailers {
        lines += tailer.join().expect("a tailer does not panic")?;
    }
    Ok(lines)
}
