//! Mistake: the wrapper borrows "the" runtime with `Handle::current()`. On a
//! plain thread there is none — that is the whole situation of a bottom-up
//! migration — so the call panics.

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
    tokio::runtime::Handle::current().block_on(tail_async(
        path,
        interval,
        stop,
        &mut BlockingWriter(write_func),
    ))
}
