//! The process's memory: resident now, and the peak of one phase of a run.
//!
//! Where the figures come from depends on the operating system (see the
//! crate's `platform` module): Linux reads `/proc/self/status` (`VmRSS` now,
//! `VmHWM` the high water mark) and can reset the high water mark by writing
//! `5` to `/proc/self/clear_refs`; macOS asks `ps` for the resident set and
//! `getrusage` for the peak, which cannot be reset. Windows has no figure here;
//! every function then returns an error of kind
//! [`io::ErrorKind::Unsupported`], which a demo reports as skipped.
//!
//! Because a peak cannot always be reset, a phase is measured with
//! [`Phase`]: it says how far the peak rose during the phase, or that it
//! cannot tell — when the process had already been bigger before the phase
//! began and the peak could not be reset, the phase's own peak is hidden
//! under the earlier one.

use std::io;

use crate::platform;

/// Whether this system gives memory figures at all: Linux and macOS do,
/// Windows does not.
pub const AVAILABLE: bool = cfg!(unix);

/// What a demo's table shows for a figure it could not measure: `hidden`
/// where an earlier, higher peak that cannot be reset covers the phase's own
/// (macOS), `-` where the system gives no memory figures at all (Windows).
pub fn unmeasured() -> String {
    if AVAILABLE { "hidden" } else { "-" }.to_owned()
}

/// The line a demo prints under a memory column on a system without memory
/// figures (`skipped on windows: …`); `None` where there are figures.
pub fn skipped_line() -> Option<String> {
    (!AVAILABLE).then(|| crate::skipped("this system gives the course no memory figures"))
}

/// Resident memory now, in KiB.
pub fn current_kib() -> io::Result<u64> {
    platform::resident_kib()
}

/// The highest resident memory since the process started (or since the last
/// reset on a platform that has one), in KiB.
pub fn peak_kib() -> io::Result<u64> {
    platform::peak_kib()
}

/// The peak memory of one phase of a run: start it just before the phase,
/// read [`Phase::peak_growth_kib`] just after.
///
/// ```
/// use course_support::memory::Phase;
///
/// # fn main() -> std::io::Result<()> {
/// # if course_support::memory::current_kib().is_err() { return Ok(()); }
/// let phase = Phase::start()?;
/// let block = vec![1u8; 32 << 20]; // 32 MiB, every page written
/// std::hint::black_box(&block);
/// match phase.peak_growth_kib()? {
///     Some(growth) => assert!(growth >= 30 * 1024, "{growth} KiB"),
///     None => println!("hidden under an earlier, higher peak"),
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Phase {
    /// Resident memory when the phase began: what the growth is measured from.
    before_kib: u64,
    /// The process's peak when the phase began (after the reset, if any).
    peak_at_start_kib: u64,
    /// Whether the peak was reset to the resident memory at the start.
    reset: bool,
}

impl Phase {
    /// Begins a phase: resets the peak where the platform can, and records
    /// the resident memory and the peak as they are now.
    pub fn start() -> io::Result<Self> {
        let reset = platform::reset_peak()?;
        let before_kib = current_kib()?;
        let peak_at_start_kib = peak_kib()?;
        Ok(Self {
            before_kib,
            peak_at_start_kib,
            reset,
        })
    }

    /// Like [`Phase::start`], but `Ok(None)` where the system gives no memory
    /// figures ([`AVAILABLE`] is false), so that a demo can still run its
    /// other measurements there and report the memory as skipped.
    pub fn start_if_available() -> io::Result<Option<Self>> {
        if AVAILABLE {
            Self::start().map(Some)
        } else {
            Ok(None)
        }
    }

    /// Resident memory when the phase began, in KiB.
    pub fn before_kib(&self) -> u64 {
        self.before_kib
    }

    /// How far the peak rose above [`Phase::before_kib`] during the phase, in
    /// KiB; `None` when that cannot be known (see [`phase_growth`]).
    pub fn peak_growth_kib(&self) -> io::Result<Option<u64>> {
        Ok(phase_growth(
            self.before_kib,
            self.peak_at_start_kib,
            peak_kib()?,
            self.reset,
        ))
    }
}

/// The rise of a phase's peak above `before_kib`, from the process's peak at
/// the start and at the end of the phase.
///
/// After a reset the peak at the end is the phase's own. Without one, the
/// peak is the process's lifetime maximum: if it rose during the phase, the
/// new maximum was reached in the phase and is its peak; if it did not, the
/// phase stayed at or below an earlier peak and its own is unknown — `None`,
/// rather than a figure that would belong to something else.
pub fn phase_growth(
    before_kib: u64,
    peak_at_start_kib: u64,
    peak_at_end_kib: u64,
    reset: bool,
) -> Option<u64> {
    (reset || peak_at_end_kib > peak_at_start_kib)
        .then(|| peak_at_end_kib.saturating_sub(before_kib))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_peak_that_rose_belongs_to_the_phase() {
        assert_eq!(phase_growth(100, 500, 900, false), Some(800));
        assert_eq!(phase_growth(100, 500, 900, true), Some(800));
    }

    #[test]
    fn an_unreset_peak_that_did_not_rise_is_unknown() {
        assert_eq!(phase_growth(100, 500, 500, false), None);
        // After a reset the same figures are the phase's own.
        assert_eq!(phase_growth(100, 500, 500, true), Some(400));
    }

    #[cfg_attr(windows, ignore = "memory figures are not read on Windows")]
    #[test]
    fn a_phase_sees_a_touched_allocation() {
        let phase = Phase::start().expect("memory figures");
        // Larger than anything this test binary held before, so the peak
        // rises even where it cannot be reset.
        let block = vec![1u8; 256 << 20];
        std::hint::black_box(&block);
        let growth = phase
            .peak_growth_kib()
            .expect("memory figures")
            .expect("the peak rose during the phase");
        assert!(growth >= 250 * 1024, "grew {growth} KiB");
        assert!(peak_kib().expect("peak") >= phase.before_kib() + growth);
    }
}
