//! Measuring a run: wall time, the CPU time the whole process spent, and
//! items per second.
//!
//! CPU time is what tells polling from blocking. A worker parked on a channel
//! costs no CPU while it waits; a worker that polls costs CPU on every look,
//! whether or not it finds anything. So the demo prints both clocks: a
//! polling pipeline can keep up with a channel pipeline on the wall clock and
//! still burn several times the CPU. (Windows gets the wall clock only; see
//! [`crate::platform`].)

use std::io;
use std::time::{Duration, Instant};

use course_support::fmt_duration;

pub use crate::platform::process_cpu_time;

/// Wall and CPU time of one measured call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timing {
    /// Wall-clock time.
    pub wall: Duration,
    /// CPU time of the whole process (all threads) during the call; `None`
    /// where the system's CPU time is not read.
    pub cpu: Option<Duration>,
}

impl Timing {
    /// CPU time over wall time: 1.0 is one core busy throughout, 2.0 two.
    pub fn cores_busy(&self) -> Option<f64> {
        self.cpu
            .map(|cpu| cpu.as_secs_f64() / self.wall.as_secs_f64().max(f64::MIN_POSITIVE))
    }

    /// The CPU time for a table, `-` where it is not read.
    pub fn cpu_text(&self) -> String {
        self.cpu.map_or_else(|| "-".to_owned(), fmt_duration)
    }

    /// The cores busy for a table, `-` where CPU time is not read.
    pub fn cores_text(&self) -> String {
        self.cores_busy()
            .map_or_else(|| "-".to_owned(), |cores| format!("{cores:.2}"))
    }
}

/// Runs `f` and measures its wall and CPU time.
pub fn measure<T>(f: impl FnOnce() -> T) -> io::Result<(T, Timing)> {
    let cpu_before = process_cpu_time()?;
    let start = Instant::now();
    let value = f();
    let wall = start.elapsed();
    let cpu = process_cpu_time()?
        .zip(cpu_before)
        .map(|(after, before)| after.saturating_sub(before));
    Ok((value, Timing { wall, cpu }))
}

/// Items per second for `items` in `elapsed`.
pub fn per_second(items: usize, elapsed: Duration) -> f64 {
    items as f64 / elapsed.as_secs_f64().max(f64::MIN_POSITIVE)
}

/// A rate with thousands separators, e.g. `2,345,678/s`.
pub fn fmt_rate(per_second: f64) -> String {
    format!("{}/s", fmt_count(per_second.round() as u64))
}

/// A count with thousands separators, e.g. `100,000`.
pub fn fmt_count(count: u64) -> String {
    let digits = count.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_get_separators() {
        assert_eq!(fmt_count(0), "0");
        assert_eq!(fmt_count(999), "999");
        assert_eq!(fmt_count(1_000), "1,000");
        assert_eq!(fmt_count(1_234_567), "1,234,567");
        assert_eq!(fmt_rate(2_500_000.4), "2,500,000/s");
    }

    #[cfg_attr(windows, ignore = "CPU time is not read on Windows")]
    #[test]
    fn cpu_time_grows_while_computing() {
        let (_, timing) = measure(|| {
            let mut x = 0_u64;
            for i in 0..20_000_000_u64 {
                x = std::hint::black_box(x.wrapping_add(i));
            }
            x
        })
        .expect("getrusage works on Unix");
        assert!(
            timing.cpu.expect("CPU time is read on Unix") > Duration::ZERO,
            "{timing:?}"
        );
    }
}
