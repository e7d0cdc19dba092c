//! Measuring a run: wall time, the CPU time the whole process spent, and
//! items per second.
//!
//! CPU time is what tells polling from blocking. A worker parked on a channel
//! costs no CPU while it waits; a worker that polls costs CPU on every look,
//! whether or not it finds anything. So the demo prints both clocks: a
//! polling pipeline can keep up with a channel pipeline on the wall clock and
//! still burn several times the CPU.

use std::io;
use std::time::{Duration, Instant};

use nix::sys::resource::{UsageWho, getrusage};
use nix::sys::time::TimeValLike;

/// CPU time (user + system) of every thread of this process so far.
pub fn process_cpu_time() -> io::Result<Duration> {
    let usage = getrusage(UsageWho::RUSAGE_SELF).map_err(io::Error::from)?;
    let micros = usage.user_time().num_microseconds() + usage.system_time().num_microseconds();
    Ok(Duration::from_micros(u64::try_from(micros).unwrap_or(0)))
}

/// Wall and CPU time of one measured call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timing {
    /// Wall-clock time.
    pub wall: Duration,
    /// CPU time of the whole process (all threads) during the call.
    pub cpu: Duration,
}

impl Timing {
    /// CPU time over wall time: 1.0 is one core busy throughout, 2.0 two.
    pub fn cores_busy(&self) -> f64 {
        self.cpu.as_secs_f64() / self.wall.as_secs_f64().max(f64::MIN_POSITIVE)
    }
}

/// Runs `f` and measures its wall and CPU time.
pub fn measure<T>(f: impl FnOnce() -> T) -> io::Result<(T, Timing)> {
    let cpu_before = process_cpu_time()?;
    let start = Instant::now();
    let value = f();
    let wall = start.elapsed();
    let cpu = process_cpu_time()?.saturating_sub(cpu_before);
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

    #[test]
    fn cpu_time_grows_while_computing() {
        let (_, timing) = measure(|| {
            let mut x = 0_u64;
            for i in 0..20_000_000_u64 {
                x = std::hint::black_box(x.wrapping_add(i));
            }
            x
        })
        .expect("getrusage works on Linux");
        assert!(timing.cpu > Duration::ZERO, "{timing:?}");
    }
}
