//! 연습 62.2 — 일반 스레드에서 async 코드 부르기 / Exercise 62.2 — call async code from a plain thread
//!
//! The book's bottom-up route: the async tailer `tail_async` is written, and
//! the old blocking `tail_file` keeps its signature but becomes a thin wrapper
//! that runs the async tailer to completion — the book's `tail_file` calling
//! `loop.run_until_complete(tail_async(...))`. Its callers, plain threads, do
//! not notice.
//!
//! Run the checks: `cargo test -p bw62-mix --features exercises --test exercises exercise_62_2`

use std::io;
use std::path::Path;
use std::time::Duration;

use bw62_mix::Stop;
use bw62_mix::threads::WriteFunc;

/// Follows `path` until `stop` is raised and the file is drained, handing
/// every line to `write_func`, and returns the number of lines — exactly what
/// `bw62_mix::tail_file` does, but by running the async
/// `bw62_mix::tail_async(path, interval, stop, &mut writer).await`.
///
/// - This is called on a plain thread, where no runtime is running: there is
///   no runtime to borrow (`Handle::current()` panics here). Build one of the
///   thread's own — `tokio::runtime::Builder::new_current_thread()`, with
///   the timer enabled (`enable_time()`), because `tail_async` sleeps between
///   polls — and run the future with its `block_on`.
/// - `tail_async` hands lines to an `impl bw62_mix::AsyncWriteFunc`, not to a
///   plain function: wrap `write_func` in a struct of your own (holding the
///   `&mut WriteFunc`) and implement the trait's `write_async` by calling it.
///   (It blocks, briefly; that is allowed because this runtime belongs to this
///   one thread and runs nothing else.)
///
/// The checks call this from three plain threads while writer threads grow
/// three files, raise `stop` once the writers are done, and verify that:
/// - it works on a plain thread (no panic for want of a runtime or a timer);
/// - every line of every file is handed over exactly once, in its file's
///   order, and each call returns its file's number of lines.
pub fn tail_file_via_async(
    path: &Path,
    interval: Duration,
    stop: &Stop,
    write_func: &mut WriteFunc<'_>,
) -> io::Result<u64> {
    todo!("exercise 62.2")
}
