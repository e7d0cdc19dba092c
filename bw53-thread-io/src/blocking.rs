//! The I/O half of the lesson: a real blocking system call with a timeout.
//!
//! The book's `slow_systemcall` asks `select` whether a brand-new socket has
//! anything to read, with a timeout of 0.1 s. Nothing ever arrives, so the
//! call blocks in the kernel for the whole timeout. Here the call is
//! `poll(2)` (through [`nix::poll::poll`]) on the read end of a fresh pipe
//! whose write end stays open and unused: no data, no end-of-file, nothing
//! that could make the descriptor ready. The thread sleeps in the kernel until
//! the timeout expires and uses no CPU meanwhile — which is why several such
//! calls can overlap even on a single core, in Python (the GIL is released
//! around the call) and in Rust alike.
//!
//! Why a pipe and not the book's socket: on Linux a fresh, unconnected TCP
//! socket reports "hang-up", which `select` and `poll` count as readable, so
//! the book's `select` returns at once instead of after 0.1 s (measured with
//! the book's code on the course machine: 0.0000 s per call). A pipe whose
//! write end is open and silent is a descriptor that really never becomes
//! ready.

use std::io;
use std::os::fd::{AsFd, BorrowedFd};
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

/// How a [`wait_readable`] call ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Readiness {
    /// The descriptor became readable: data arrived, or the other end closed
    /// (a read would now return end-of-file instead of blocking).
    Ready,
    /// The timeout expired first.
    TimedOut,
}

/// Blocks the calling thread in `poll(2)` until `fd` is readable or `timeout`
/// has passed.
///
/// The kernel counts the timeout in whole milliseconds, so it is rounded
/// *up*: a wait never ends before `timeout`. If a signal interrupts the call
/// (`EINTR`), it is restarted for the time that is left rather than reported
/// as an early return.
///
/// # Errors
///
/// A timeout longer than `poll(2)` accepts (about 24.8 days) is
/// [`io::ErrorKind::InvalidInput`]; any other failure of the system call is
/// returned as the kernel reported it.
pub fn wait_readable(fd: BorrowedFd<'_>, timeout: Duration) -> io::Result<Readiness> {
    // A deadline, not a duration: after an interruption only the rest of the
    // time is waited, so the total stays `timeout` however often it happens.
    let deadline = Instant::now() + timeout;
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        // POLLIN asks "would a read not block?". POLLHUP and POLLERR need not
        // be asked for: the kernel always reports them.
        let mut fds = [PollFd::new(fd, PollFlags::POLLIN)];
        match poll(&mut fds, poll_timeout(remaining)?) {
            // Zero descriptors ready: the timeout expired.
            Ok(0) => return Ok(Readiness::TimedOut),
            Ok(_) => return Ok(Readiness::Ready),
            Err(Errno::EINTR) => continue,
            Err(errno) => return Err(errno.into()),
        }
    }
}

/// `duration` as `poll(2)`'s timeout: whole milliseconds, rounded up.
fn poll_timeout(duration: Duration) -> io::Result<PollTimeout> {
    // Rounding down would turn 0.5 ms into 0, which means "do not wait at
    // all"; rounding up keeps the promise that the wait is at least as long
    // as asked.
    let millis = duration.as_nanos().div_ceil(1_000_000);
    PollTimeout::try_from(millis).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "a timeout of {duration:?} is longer than poll(2) accepts ({} ms at most)",
                i32::MAX
            ),
        )
    })
}

/// The book's `slow_systemcall`: one blocking system call that can only end
/// by timing out. Returns how long the calling thread was blocked.
///
/// Each call makes its own pipe, as the book makes a new socket per call, so
/// calls on different threads share nothing.
///
/// # Errors
///
/// Creating the pipe can fail (for example with too many open files); the
/// error says so. If the pipe ever became readable — which nothing in this
/// program can cause — that is reported as an error too, rather than counted
/// as a timeout.
pub fn slow_systemcall(timeout: Duration) -> io::Result<Duration> {
    let (reader, writer) = std::io::pipe()
        .map_err(|e| io::Error::new(e.kind(), format!("cannot create a pipe to wait on: {e}")))?;
    let start = Instant::now();
    let readiness = wait_readable(reader.as_fd(), timeout)?;
    let blocked = start.elapsed();
    // The write end must outlive the wait: closing it would make the read end
    // report end-of-file (POLLHUP) and end the wait at once. Dropping it here,
    // explicitly, is what keeps it alive until now.
    drop(writer);
    match readiness {
        Readiness::TimedOut => Ok(blocked),
        Readiness::Ready => Err(io::Error::other(
            "the pipe became readable although nothing writes to it",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_round_up_to_whole_milliseconds() {
        let ms = |d| i32::from(poll_timeout(d).expect("small timeout"));
        assert_eq!(ms(Duration::ZERO), 0);
        assert_eq!(ms(Duration::from_micros(1)), 1);
        assert_eq!(ms(Duration::from_millis(100)), 100);
        assert_eq!(ms(Duration::from_micros(100_001)), 101);
    }

    #[test]
    fn overlong_timeout_is_rejected_by_name() {
        let err = poll_timeout(Duration::from_secs(30 * 24 * 3600)).expect_err("30 days");
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert!(err.to_string().contains("poll(2)"), "{err}");
    }
}
