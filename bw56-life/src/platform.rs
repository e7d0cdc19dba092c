//! The one Linux-only piece of the workload: timer slack.
//!
//! Linux lets a sleeping thread's wake-up be up to its "timer slack" late
//! (50 µs by default) so it can batch wake-ups; a 1 ms sleep then lasts about
//! 1.07 ms. Real I/O wakes a thread when the data arrives, not on a timer, so
//! the simulated I/O turns the slack down to 1 ns (`PR_SET_TIMERSLACK`) to
//! make its latency mean what it says. Other systems have no such setting:
//! their sleeps wake as their scheduler decides, a little later than asked,
//! and the demo says so.

/// Why timer slack is not lowered on this system; `None` on Linux.
pub const TIMER_SLACK_UNAVAILABLE: Option<&str> = if cfg!(target_os = "linux") {
    None
} else {
    Some(
        "timer slack is a Linux setting (PR_SET_TIMERSLACK); sleeps here wake when the scheduler decides, so measured/predicted runs a little higher",
    )
};

/// Lowers the calling thread's timer slack to 1 ns.
#[cfg(target_os = "linux")]
pub(crate) fn lower_timer_slack() {
    // Only accuracy is at stake: if the kernel refuses, sleeps are merely a
    // little longer, so the error is deliberately ignored.
    let _ = nix::sys::prctl::set_timerslack(1);
}

/// Nothing to lower: the system has no timer slack to set.
#[cfg(not(target_os = "linux"))]
pub(crate) fn lower_timer_slack() {}
