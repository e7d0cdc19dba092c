//! The I/O half of the lesson: a real blocking system call with a timeout.
//!
//! The book's `slow_systemcall` asks `select` whether a brand-new socket has
//! anything to read, with a timeout of 0.1 s. Nothing ever arrives, so the
//! call blocks in the kernel for the whole timeout. Here the socket is one end
//! of a TCP connection over the loopback interface whose other end stays open
//! and silent: no data, no end-of-file, nothing that could make a read
//! possible. [`wait_for_data`] asks the kernel to receive from it with a
//! 100 ms receive timeout ([`TcpStream::set_read_timeout`]), so the thread
//! sleeps in the kernel until the timeout expires and uses no CPU meanwhile —
//! which is why several such calls can overlap even on a single core, in
//! Python (the GIL is released around the call) and in Rust alike.
//!
//! Why a connected socket and not the book's fresh one: on Linux a fresh,
//! unconnected TCP socket reports "hang-up", which `select` counts as
//! readable, so the book's `select` returns at once instead of after 0.1 s
//! (measured with the book's code on the course machine: 0.0000 s per call).
//! A connection whose peer never writes is a socket that really never becomes
//! readable. It needs nothing but the standard library, and behaves the same
//! on Linux, macOS and Windows.
//!
//! One difference from `select`: Linux keeps a socket's receive timeout in
//! whole timer ticks, rounded up, so on the course machine (4 ms ticks) a
//! 100 ms call blocks 104–108 ms, where `select` ends within a fraction of a
//! millisecond of 100 ms. The lesson's claim does not depend on it: five
//! calls in a row wait five timeouts, five calls at once wait one.

use std::io::{self, ErrorKind};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

/// How a [`wait_for_data`] call ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Readiness {
    /// The socket became readable: data arrived, or the peer closed the
    /// connection (a read would now return end-of-file instead of blocking).
    Ready,
    /// The timeout expired first.
    TimedOut,
}

/// A TCP connection over the loopback interface: both ends, connected.
///
/// Nothing is sent on it; what the caller writes to one end can be read from
/// the other. Each end closes when it is dropped.
///
/// # Errors
///
/// Binding, connecting or accepting can fail (for example with too many open
/// files); the error says which step failed.
pub fn connected_pair() -> io::Result<(TcpStream, TcpStream)> {
    let context = |step: &'static str| {
        move |e: io::Error| io::Error::new(e.kind(), format!("cannot {step}: {e}"))
    };
    // Port 0: the kernel picks a free one, so calls on different threads (and
    // other programs) never collide.
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(context("listen on a loopback port"))?;
    let address = listener
        .local_addr()
        .map_err(context("read the listening address"))?;
    let near = TcpStream::connect(address).map_err(context("connect over loopback"))?;
    let ours = near
        .local_addr()
        .map_err(context("read the local address"))?;
    // `connect` has returned, so our connection waits in the listener's queue.
    // Anyone else may connect to the same port meanwhile; such a stranger is
    // accepted and dropped until ours comes out of the queue.
    loop {
        let (far, peer) = listener.accept().map_err(context("accept over loopback"))?;
        if peer == ours {
            return Ok((near, far));
        }
    }
}

/// Blocks the calling thread in a receive on `stream` until it has data to
/// read (or the peer closed it), or until `timeout` has passed.
///
/// The receive *peeks*: like `select` and `poll`, this only asks whether a
/// read would block, and leaves whatever arrived in the socket — so one byte
/// can wake several threads waiting on the same stream.
///
/// If a signal interrupts the call, it is restarted for the time that is left
/// rather than reported as an early return.
///
/// # Errors
///
/// A zero `timeout` is [`ErrorKind::InvalidInput`]: to the operating system a
/// zero receive timeout means "no timeout at all", not "do not wait", so std
/// refuses it. Any other failure of the system call is returned as the
/// operating system reported it.
///
/// On Windows a receive that timed out may leave the connection in an
/// undefined state, so a socket should be closed after it returns
/// [`Readiness::TimedOut`]; [`slow_systemcall`] uses a fresh one every time.
pub fn wait_for_data(stream: &TcpStream, timeout: Duration) -> io::Result<Readiness> {
    if timeout.is_zero() {
        return Err(io::Error::new(
            ErrorKind::InvalidInput,
            "a zero timeout would mean waiting forever; expected a timeout of at least 1 µs",
        ));
    }
    // The span covers the whole wait, restarts included: one blocking call,
    // drawn on the lane of the thread that made it. With nothing recording it
    // costs a few nanoseconds against a wait of milliseconds.
    let _receive = tracing::info_span!("blocking receive").entered();
    // A deadline, not a duration: after an interruption only the rest of the
    // time is waited, so the total stays `timeout` however often it happens.
    let deadline = Instant::now() + timeout;
    let mut byte = [0; 1];
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Ok(Readiness::TimedOut);
        }
        // The timeout is a property of the socket, kept by the kernel: every
        // receive on it gives up after this long.
        stream.set_read_timeout(Some(remaining))?;
        match stream.peek(&mut byte) {
            // One byte is there, or zero bytes: end-of-file. Either way a read
            // would not block.
            Ok(_) => return Ok(Readiness::Ready),
            // How an expired receive timeout is reported differs between
            // systems: Unix says EAGAIN ("would block"), Windows says
            // WSAETIMEDOUT ("timed out").
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Ok(Readiness::TimedOut);
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}

/// The book's `slow_systemcall`: one blocking system call that can only end
/// by timing out. Returns how long the calling thread was blocked.
///
/// Each call opens its own loopback connection, as the book makes a new socket
/// per call, so calls on different threads share nothing.
///
/// # Errors
///
/// Opening the connection can fail (for example with too many open files);
/// the error says so. A zero `timeout` is rejected ([`wait_for_data`]). If the
/// socket ever became readable — which nothing in this program can cause —
/// that is reported as an error too, rather than counted as a timeout.
pub fn slow_systemcall(timeout: Duration) -> io::Result<Duration> {
    let (near, far) = connected_pair()?;
    let start = Instant::now();
    let readiness = wait_for_data(&near, timeout)?;
    let blocked = start.elapsed();
    // The far end must outlive the wait: closing it would make the near end
    // report end-of-file and end the wait at once. Dropping it here,
    // explicitly, is what keeps it open until now.
    drop(far);
    match readiness {
        Readiness::TimedOut => Ok(blocked),
        Readiness::Ready => Err(io::Error::other(
            "the socket became readable although nothing writes to it",
        )),
    }
}
