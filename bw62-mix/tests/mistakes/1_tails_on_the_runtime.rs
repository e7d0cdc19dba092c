//! Mistake: each blocking tailer runs in a plain task, on the runtime's own
//! thread. Besides holding that thread, its `Handle::block_on` now runs where
//! tokio forbids it — on a thread that drives tasks — and panics.

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use bw62_mix::{AsyncOutput, Stop, tail_file};
use tokio::runtime::Handle;
use tokio::task::JoinSet;

pub async fn run_tasks_mixed(
    inputs: &[PathBuf],
    output: &AsyncOutput,
    interval: Duration,
    stop: &Stop,
) -> io::Result<u64> {
    let handle = Handle::current();
    let mut tailers = JoinSet::new();
    for path in inputs {
        let (path, output, handle, stop) =
            (path.clone(), output.clone(), handle.clone(), stop.clone());
        tailers.spawn(async move {
            let mut write = |line: &[u8]| handle.block_on(output.write_line(line));
            tail_file(&path, interval, &stop, &mut write)
        });
    }
    let mut lines = 0;
    while let Some(joined) = tailers.join_next().await {
        lines +=
            joined.map_err(|error| io::Error::other(format!("a tailer failed: {error}")))??;
    }
    Ok(lines)
}
