//! The blocking tailer goes to the blocking pool, where it may block as long
//! as it likes, and reaches the runtime's output by waiting on the runtime's
//! handle from there; the async top only awaits, so its thread stays free.

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use bw62_mix::{AsyncOutput, Stop, tail_file};
use tokio::runtime::Handle;
use tokio::task::JoinSet;

/// Merges `inputs` into `output`, one blocking tailer per file on the
/// blocking pool.
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
        tailers.spawn_blocking(move || {
            // A blocking-pool thread may wait on the runtime: this is the
            // book's `run_coroutine_threadsafe(...).result()`.
            let mut write = |line: &[u8]| handle.block_on(output.write_line(line));
            tail_file(&path, interval, &stop, &mut write)
        });
    }
    // Await every tailer, even after a failure, so none outlives the call.
    let (mut lines, mut first_error) = (0, None);
    while let Some(joined) = tailers.join_next().await {
        match joined {
            Ok(Ok(count)) => lines += count,
            Ok(Err(error)) => {
                first_error.get_or_insert(error);
            }
            Err(error) => {
                first_error.get_or_insert(io::Error::other(format!("a tailer failed: {error}")));
            }
        }
    }
    first_error.map_or(Ok(lines), Err)
}
