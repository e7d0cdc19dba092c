//! How many OS threads the process runs: the cost the steps trade.
//!
//! The four versions differ less in speed than in what they hold while they
//! wait: a thread per file (steps 1, 2 and 4) or a small future per file
//! (step 3). [`ThreadPeak`] makes that visible by sampling the process's
//! thread count ([`course_support::threads::count`]: `/proc` on Linux, `ps`
//! on macOS, none on Windows) while a merge runs. It is an observation for
//! the demo, not a test oracle: a sample every millisecond (or every `ps`
//! run, which takes longer) can miss a thread that lives for less than that.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// The number of threads of this process right now, as the operating system
/// counts them.
pub fn os_threads() -> io::Result<usize> {
    course_support::threads::count()
}

/// A background thread recording the highest thread count it sees.
#[derive(Debug)]
#[must_use = "call finish to stop the sampler and read the peak"]
pub struct ThreadPeak {
    /// Raised by `finish`; the sampler checks it between samples.
    done: Arc<AtomicBool>,
    /// Returns the peak it saw (including itself).
    sampler: JoinHandle<usize>,
}

impl ThreadPeak {
    /// Starts sampling every `every`.
    pub fn start(every: Duration) -> io::Result<Self> {
        let first = os_threads()?;
        let done = Arc::new(AtomicBool::new(false));
        let sampler = thread::Builder::new().name("thread-peak".into()).spawn({
            let done = Arc::clone(&done);
            move || {
                let mut peak = first + 1; // this sampler itself
                // Relaxed is enough: the flag carries no data, and `finish`
                // joins the thread, which orders everything after it.
                while !done.load(Ordering::Relaxed) {
                    if let Ok(now) = os_threads() {
                        peak = peak.max(now);
                    }
                    thread::sleep(every);
                }
                peak
            }
        })?;
        Ok(Self { done, sampler })
    }

    /// Stops sampling and returns the peak, not counting the sampler.
    pub fn finish(self) -> usize {
        self.done.store(true, Ordering::Relaxed);
        // The sampler cannot panic (it only reads a file and compares).
        self.sampler.join().map_or(0, |peak| peak - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Barrier;

    #[cfg_attr(windows, ignore = "threads are not counted on Windows")]
    #[test]
    fn sees_threads_that_are_alive() {
        // Other tests run in this process at the same time, so only bounds
        // that hold whatever they do are asserted.
        let barrier = Barrier::new(4);
        let peak = ThreadPeak::start(Duration::from_millis(1)).expect("sampler");
        thread::scope(|s| {
            for _ in 0..3 {
                s.spawn(|| barrier.wait());
            }
            // The three cannot pass the barrier before this thread reaches
            // it: with this one, at least four are alive now.
            assert!(os_threads().expect("a thread count") >= 4);
            barrier.wait();
        });
        assert!(peak.finish() >= 1, "at least the thread running this test");
    }
}
