//! The process's memory, read from Linux's `/proc/self/status`.
//!
//! `VmRSS` is the resident set now; `VmHWM` ("high water mark") is the largest
//! it has been. Writing `5` to `/proc/self/clear_refs` resets the high water
//! mark to the current resident set, which lets one process measure the peak
//! of several phases one after another ([`reset_peak`]).

use std::fs;
use std::io;

/// Resident memory now, in KiB.
pub fn current_kib() -> io::Result<u64> {
    status_field("VmRSS:")
}

/// The highest resident memory since start (or since [`reset_peak`]), in KiB.
pub fn peak_kib() -> io::Result<u64> {
    status_field("VmHWM:")
}

/// Resets the peak to the current resident memory, so [`peak_kib`] measures
/// only what comes next.
pub fn reset_peak() -> io::Result<()> {
    fs::write("/proc/self/clear_refs", "5")
}

fn status_field(name: &str) -> io::Result<u64> {
    let status = fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|line| line.starts_with(name))
        .ok_or_else(|| io::Error::other(format!("{name} missing from /proc/self/status")))?;
    // The line reads like "VmHWM:	   12345 kB".
    line[name.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .map_err(|e| io::Error::other(format!("cannot read {name} from {line:?}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_is_at_least_current_and_grows_with_a_touched_allocation() {
        reset_peak().expect("clear_refs is writable by the process itself");
        let before = peak_kib().expect("VmHWM");
        // 64 MiB, every page written so it becomes resident.
        let block = vec![1u8; 64 << 20];
        std::hint::black_box(&block);
        let after = peak_kib().expect("VmHWM");
        assert!(after >= current_kib().expect("VmRSS").min(after));
        assert!(
            after >= before + 60 * 1024,
            "before {before} KiB, after {after} KiB"
        );
    }
}
