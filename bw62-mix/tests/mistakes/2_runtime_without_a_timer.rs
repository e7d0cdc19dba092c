//! Mistake: the wrapper builds a runtime of its own, but without the timer.
//! `tail_async` sleeps between polls on the runtime's timer, so the first
//! pause panics.

use std::io;
use std::path::Path;
use std::time::Duration;

use bw62_mix::threads::WriteFunc;
use bw62_mix::{AsyncWriteFunc, Stop, tail_async};

struct BlockingWriter<'w, 'f>(&'w mut WriteFunc<'f>);

impl AsyncWriteFunc for BlockingWriter<'_, '_> {
    async fn write_async(&mut self, line: &[u8]) -> io::Result<()> {
        (self.0)(line)
    }
}

pub fn tail_file_via_async(
    path: &Path,
    interval: Duration,
    stop: &Stop,
    write_func: &mut WriteFunc<'_>,
) -> io::Result<u64> {
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    runtime.block_on(tail_async(
        path,
        interval,
        stop,
        &mut BlockingWriter(write_func),
    ))
}
