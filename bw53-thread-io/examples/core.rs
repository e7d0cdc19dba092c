//! Item 53 in one page: use threads for blocking I/O.
//!
//! A thread blocked in a system call uses no CPU, so a thread per blocking
//! call lets the waits overlap: five 100 ms calls take about 100 ms, and the
//! main thread keeps computing the helicopter's location meanwhile.
//!
//! Run it: `cargo run -p bw53-thread-io --example core` (the waits overlap),
//! then `cargo run -p bw53-thread-io --example core -- --break` (each thread is
//! joined right after it is started, so the waits line up one after another).

use std::hint::black_box;
use std::io::{self, ErrorKind, Read};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

const CALLS: usize = 5;
const PANICKED: &str = "a thread making a blocking call panicked";

/// The book's `slow_systemcall`: a read that blocks in the kernel until its
/// timeout, on a loopback TCP connection whose other end stays open and silent.
/// Returns when the call started and when it ended.
fn slow_systemcall(timeout: Duration) -> io::Result<(Instant, Instant)> {
    let started = Instant::now();
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let mut socket = TcpStream::connect(listener.local_addr()?)?;
    let (_silent_peer, _) = listener.accept()?;
    socket.set_read_timeout(Some(timeout))?;
    match socket.read(&mut [0; 1]) {
        // Unix reports an expired timeout as "would block", Windows as "timed out".
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
            Ok((started, Instant::now()))
        }
        Err(e) => Err(e),
        Ok(n) => Err(io::Error::other(format!("a silent peer sent {n} bytes"))),
    }
}

/// The work the main thread does while the calls wait (empty in the book).
fn compute_helicopter_location(index: usize) -> (f64, f64) {
    let angle = index as f64 / 1000.0;
    (500.0 * angle.cos(), 500.0 * angle.sin())
}

/// The most calls that were waiting at the same moment.
fn peak_in_flight(spans: &[(Instant, Instant)]) -> usize {
    let waiting_at = |t| spans.iter().filter(|(s, e)| *s <= t && t < *e).count();
    spans.iter().map(|(s, _)| waiting_at(*s)).max().unwrap_or(0)
}

/// Makes the calls on threads; returns their spans and how many locations the
/// main thread computed while they waited.
fn run(broken: bool, timeout: Duration) -> io::Result<(Vec<(Instant, Instant)>, usize)> {
    thread::scope(|s| {
        let mut spans = Vec::new();
        let mut pending = Vec::new();
        for _ in 0..CALLS {
            let call = s.spawn(move || slow_systemcall(timeout));
            if broken {
                // The mistake: joining each thread right after starting it.
                spans.push(call.join().expect(PANICKED)?);
            } else {
                pending.push(call);
            }
        }
        // `is_finished` asks without waiting, so the main thread never blocks here.
        let mut locations = 0;
        while pending.iter().any(|call| !call.is_finished()) {
            black_box(compute_helicopter_location(locations));
            locations += 1;
        }
        for call in pending {
            spans.push(call.join().expect(PANICKED)?);
        }
        Ok((spans, locations))
    })
}

// Try: set CALLS to 50: the threaded run still takes about one call's time,
// while `--break` takes 50 of them (5 s).
// Try: call `slow_systemcall` on the main thread instead of spawning: the same
// line-up as `--break`, and the helicopter is not computed at all.
fn main() -> io::Result<()> {
    let broken = std::env::args().any(|a| a == "--break");
    let timeout = Duration::from_millis(100);
    let start = Instant::now();
    let (spans, locations) = run(broken, timeout)?;
    let (elapsed, peak) = (start.elapsed(), peak_in_flight(&spans));
    let what = format!(
        "{CALLS} calls of {timeout:?} took {elapsed:.0?} with at most {peak} in flight at once, \
         and the main thread computed {locations} helicopter locations meanwhile"
    );
    if peak == CALLS && locations > 0 {
        println!("ok: the waits overlapped: {what}");
    } else {
        println!("broken: the waits did not overlap: {what}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_per_call_overlaps_the_waits() {
        let (spans, locations) = run(false, Duration::from_millis(200)).expect("loopback works");
        assert_eq!((spans.len(), peak_in_flight(&spans)), (CALLS, CALLS));
        assert!(
            locations > 0,
            "the main thread did no work while the calls waited"
        );
    }

    #[test]
    fn joining_right_after_spawn_lines_the_waits_up() {
        let (spans, locations) = run(true, Duration::from_millis(50)).expect("loopback works");
        assert_eq!(
            (spans.len(), peak_in_flight(&spans), locations),
            (CALLS, 1, 0)
        );
    }
}
