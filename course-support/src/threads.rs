//! How many threads this process runs, as the operating system counts them.
//!
//! Tests use it to see that threads really ended (were joined), not only that
//! a lesson's own counters say so. Linux reads the `Threads:` line of
//! `/proc/self/status`; macOS lists the process's threads with `ps -M`.
//! Windows has no count here ([`io::ErrorKind::Unsupported`]), and the tests
//! that need one are ignored there.
//!
//! The count covers the whole process, so a test using it runs alone in a
//! process of its own ([`crate::testing::alone_in_process`]); otherwise the
//! threads of tests running beside it, starting and ending, are counted too.

use std::io;

use crate::platform;

/// Whether this system counts a process's threads for the course: Linux and
/// macOS do, Windows does not.
pub const AVAILABLE: bool = cfg!(unix);

/// The number of threads of this process right now.
pub fn count() -> io::Result<usize> {
    platform::thread_count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Barrier;

    #[cfg_attr(windows, ignore = "threads are not counted on Windows")]
    #[test]
    fn counts_threads_that_are_alive() {
        // Other tests of this binary run at the same time, so only a lower
        // bound holds: the test's own thread and the three waiting here.
        let barrier = Barrier::new(4);
        std::thread::scope(|s| {
            for _ in 0..3 {
                s.spawn(|| barrier.wait());
            }
            // The three cannot pass the barrier before this thread reaches
            // it: with this one, at least four are alive now.
            let now = count().expect("a thread count");
            assert!(now >= 4, "counted {now} threads");
            barrier.wait();
        });
    }
}
