//! A plain thread has no runtime, so the wrapper brings its own: a
//! current-thread runtime runs the async tailer on the calling thread, and the
//! blocking writer is dressed as an async one, which is safe because nothing
//! else runs on that runtime.

use std::io;
use std::path::Path;
use std::time::Duration;

use bw62_mix::threads::WriteFunc;
use bw62_mix::{AsyncWriteFunc, Stop, tail_async};

/// The thread API's `write_func`, as the async tailer wants it.
struct BlockingWriter<'w, 'f>(&'w mut WriteFunc<'f>);

impl AsyncWriteFunc for BlockingWriter<'_, '_> {
    async fn write_async(&mut self, line: &[u8]) -> io::Result<()> {
        (self.0)(line)
    }
}

/// `tail_file`'s signature, implemented by running `tail_async` on a runtime
/// of this thread's own.
pub fn tail_file_via_async(
    path: &Path,
    interval: Duration,
    stop: &Stop,
    write_func: &mut WriteFunc<'_>,
) -> io::Result<u64> {
    // The book's `new_event_loop()`; the timer is for the pauses between polls.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    // The book's `run_until_complete(tail_async(...))`.
    runtime.block_on(tail_async(
        path,
        interval,
        stop,
        &mut BlockingWriter(write_func),
    ))
}
