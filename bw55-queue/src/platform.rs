//! What differs between operating systems in this lesson: reading the CPU
//! time the process has spent.
//!
//! Unix systems report it with `getrusage`. Windows keeps it too, but reading
//! it would take an `unsafe` system call, which this workspace forbids; there
//! the demo prints its timings without the CPU columns and says so.

use std::io;
use std::time::Duration;

/// Why CPU time is not read on this system; `None` where it is.
pub const CPU_TIME_UNAVAILABLE: Option<&str> = if cfg!(unix) {
    None
} else {
    Some("the process's CPU time is read with getrusage, which this system lacks")
};

/// CPU time (user + system) of every thread of this process so far; `None`
/// where it is not read ([`CPU_TIME_UNAVAILABLE`]).
#[cfg(unix)]
pub fn process_cpu_time() -> io::Result<Option<Duration>> {
    use nix::sys::resource::{UsageWho, getrusage};
    use nix::sys::time::TimeValLike;

    let usage = getrusage(UsageWho::RUSAGE_SELF).map_err(io::Error::from)?;
    let micros = usage.user_time().num_microseconds() + usage.system_time().num_microseconds();
    Ok(Some(Duration::from_micros(
        u64::try_from(micros).unwrap_or(0),
    )))
}

/// CPU time is not read here: always `None`.
#[cfg(not(unix))]
pub fn process_cpu_time() -> io::Result<Option<Duration>> {
    Ok(None)
}
