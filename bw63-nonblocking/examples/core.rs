//! Item 63: never block the event loop — a blocking call inside a task stops
//! every other task on that thread.
//!
//! This program runs a one-thread runtime (asyncio's loop) with two tasks: a
//! heartbeat that ticks every 10 ms and notes the longest gap between ticks,
//! and a logger that writes ten lines to a file on a slow disk. The writes go
//! to the book's `WriteThread`, a thread that does the blocking work while the
//! logger only awaits it, so the heartbeat keeps its beat.
//!
//! Run it: `cargo run -p bw63-nonblocking --example core`.
//! Break it: `cargo run -p bw63-nonblocking --example core -- --break` does
//! the writes on the loop itself: during each write nothing else runs, and
//! the heartbeat's gap grows to the length of a write.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::time::{Duration, Instant};

use tokio::runtime::Builder;
use tokio::sync::{mpsc, oneshot};
use tokio::time::sleep;

const TICK: Duration = Duration::from_millis(10);
const LINES: usize = 10;
// Try: 1 ms — the broken run's gap shrinks to a few ticks: how much a
// blocking call hurts depends only on how long it blocks.
const SLOW_DISK: Duration = Duration::from_millis(100);

/// One blocking write: append, sync to disk, then wait as a slow disk would
/// (the sleep makes the slowness the same on every machine).
fn write_line(path: &Path, line: &str) -> io::Result<()> {
    let mut file = OpenOptions::new().create(true).append(true).open(path)?;
    writeln!(file, "{line}")?;
    file.sync_data()?;
    std::thread::sleep(SLOW_DISK);
    Ok(())
}

/// A line to write and where to report that it is written.
type Job = (String, oneshot::Sender<io::Result<()>>);

/// The book's `WriteThread`: does every blocking write, in the order sent,
/// until the channel closes.
fn write_thread(path: PathBuf, mut jobs: mpsc::Receiver<Job>) {
    while let Some((line, done)) = jobs.blocking_recv() {
        let _ = done.send(write_line(&path, &line)); // The logger may be gone.
    }
}

/// Ticks every `TICK` until told to stop; returns the ticks and worst gap.
async fn heartbeat(stop: Arc<AtomicBool>) -> (u32, Duration) {
    let (mut ticks, mut worst, mut last) = (0, Duration::ZERO, Instant::now());
    while !stop.load(SeqCst) {
        sleep(TICK).await;
        (ticks, worst, last) = (ticks + 1, worst.max(last.elapsed()), Instant::now());
    }
    (ticks, worst)
}

/// Logs `LINES` lines, as they "arrive" every 5 ms.
async fn logger(path: &Path, writes: &mpsc::Sender<Job>, broken: bool) -> io::Result<()> {
    for i in 0..LINES {
        sleep(Duration::from_millis(5)).await;
        let line = format!("line {i}");
        if broken {
            write_line(path, &line)?; // The mistake: a blocking call in a task.
        } else {
            // The book's `await output.write(...)`: hand over, await the result.
            let (done, written) = oneshot::channel();
            writes.send((line, done)).await.map_err(io::Error::other)?;
            written.await.map_err(io::Error::other)??;
        }
    }
    Ok(())
}

/// Runs both tasks; returns the heartbeat's worst gap and the verdict.
fn run(broken: bool) -> (Duration, String) {
    let dir = std::env::temp_dir().join(format!("bw63-core-{}-{broken}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("the temp dir is writable");
    let (path, thread_path) = (dir.join("out.log"), dir.join("out.log"));
    let (writes, jobs) = mpsc::channel(LINES);
    let thread = std::thread::spawn(move || write_thread(thread_path, jobs));
    let runtime = Builder::new_current_thread().enable_time().build();
    let runtime = runtime.expect("a runtime starts");
    let started = Instant::now();
    let (logged, (ticks, worst)) = runtime.block_on(async {
        let stop = Arc::new(AtomicBool::new(false));
        let beat = tokio::spawn(heartbeat(Arc::clone(&stop)));
        let logged = logger(&path, &writes, broken).await;
        stop.store(true, SeqCst);
        (logged, beat.await.expect("the heartbeat does not panic"))
    });
    let elapsed = started.elapsed();
    drop(writes); // Closing the channel ends the write thread.
    thread.join().expect("the write thread does not panic");
    logged.expect("the temp dir is writable");
    let written = std::fs::read_to_string(&path).expect("the output was written");
    std::fs::remove_dir_all(&dir).expect("the temp dir can be removed");
    let expected: String = (0..LINES).map(|i| format!("line {i}\n")).collect();
    assert_eq!(written, expected, "lines lost or out of order");
    let beat = format!("{ticks} ticks in {elapsed:.2?}, worst gap {worst:.1?} (tick {TICK:?})");
    let line = if worst < SLOW_DISK {
        format!("ok: {LINES} lines written in order; the heartbeat kept time: {beat}")
    } else {
        format!("broken: the loop stalled during every write: {beat}")
    };
    (worst, line)
}

fn main() {
    println!("{}", run(std::env::args().any(|a| a == "--break")).1);
}

#[cfg(test)]
mod tests {
    use super::{SLOW_DISK, TICK, run};

    #[test]
    fn the_write_thread_keeps_the_heartbeat() {
        let (worst, line) = run(false);
        assert!(line.starts_with("ok: ") && worst < SLOW_DISK, "{line}");
    }

    #[test]
    fn writes_on_the_loop_stall_the_heartbeat() {
        let (worst, line) = run(true);
        assert!(line.starts_with("broken: ") && worst >= 5 * TICK, "{line}");
    }
}
