//! Every difference between operating systems in this crate, in one place.
//!
//! Linux reads its figures from `/proc`, where they are cheap and exact, and
//! is the only system whose peak memory can be reset. Other Unix systems
//! (macOS) ask `ps` and `getrusage`. Windows gets none of these figures:
//! reading them would take `unsafe` system calls, which this workspace
//! forbids; the functions say so with [`io::ErrorKind::Unsupported`].

use std::io;
#[cfg(all(unix, any(not(target_os = "linux"), test)))]
use std::process::Command;

// ---- Linux: /proc --------------------------------------------------------

#[cfg(target_os = "linux")]
pub(crate) fn resident_kib() -> io::Result<u64> {
    proc_status_kib("VmRSS:")
}

#[cfg(target_os = "linux")]
pub(crate) fn peak_kib() -> io::Result<u64> {
    proc_status_kib("VmHWM:")
}

/// Resets the peak to the resident memory now; `Ok(true)` once done.
#[cfg(target_os = "linux")]
pub(crate) fn reset_peak() -> io::Result<bool> {
    std::fs::write("/proc/self/clear_refs", "5")?;
    Ok(true)
}

#[cfg(target_os = "linux")]
pub(crate) fn thread_count() -> io::Result<usize> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .and_then(|count| count.trim().parse().ok())
        .ok_or_else(|| io::Error::other("no Threads: line in /proc/self/status"))
}

#[cfg(target_os = "linux")]
fn proc_status_kib(name: &str) -> io::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
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

// ---- other Unix (macOS): ps and getrusage ---------------------------------

#[cfg(all(unix, not(target_os = "linux")))]
pub(crate) fn resident_kib() -> io::Result<u64> {
    ps_resident_kib()
}

#[cfg(all(unix, not(target_os = "linux")))]
pub(crate) fn peak_kib() -> io::Result<u64> {
    rusage_peak_kib()
}

/// `getrusage`'s peak cannot be reset: `Ok(false)`.
#[cfg(all(unix, not(target_os = "linux")))]
pub(crate) fn reset_peak() -> io::Result<bool> {
    Ok(false)
}

#[cfg(all(unix, not(target_os = "linux")))]
pub(crate) fn thread_count() -> io::Result<usize> {
    // `ps -M` prints a header, then one line per thread of the process.
    let listing = ps(&["-M", "-p", &std::process::id().to_string()])?;
    threads_in_ps_listing(&listing)
}

/// The resident set as `ps -o rss=` reports it (in KiB on Linux and macOS).
#[cfg(all(unix, any(not(target_os = "linux"), test)))]
fn ps_resident_kib() -> io::Result<u64> {
    let text = ps(&["-o", "rss=", "-p", &std::process::id().to_string()])?;
    text.trim()
        .parse()
        .map_err(|e| io::Error::other(format!("cannot read ps's rss {text:?}: {e}")))
}

/// The process's lifetime peak from `getrusage`. `ru_maxrss` is in KiB on
/// Linux and the BSDs but in bytes on Apple's systems.
#[cfg(all(unix, any(not(target_os = "linux"), test)))]
fn rusage_peak_kib() -> io::Result<u64> {
    use nix::sys::resource::{UsageWho, getrusage};
    let usage = getrusage(UsageWho::RUSAGE_SELF).map_err(io::Error::from)?;
    let max_rss = u64::try_from(usage.max_rss())
        .map_err(|_| io::Error::other("getrusage reported a negative peak"))?;
    Ok(if cfg!(target_vendor = "apple") {
        max_rss / 1024
    } else {
        max_rss
    })
}

/// Runs `ps` with `args` and returns what it printed.
#[cfg(all(unix, any(not(target_os = "linux"), test)))]
fn ps(args: &[&str]) -> io::Result<String> {
    let output = Command::new("ps")
        .args(args)
        .output()
        .map_err(|e| io::Error::new(e.kind(), format!("cannot run ps: {e}")))?;
    if !output.status.success() {
        return Err(io::Error::other(format!(
            "ps {} failed ({}): {}",
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    String::from_utf8(output.stdout).map_err(io::Error::other)
}

/// The threads in a `ps -M -p <pid>` listing: every line after the header.
#[cfg(any(all(unix, not(target_os = "linux")), test))]
fn threads_in_ps_listing(listing: &str) -> io::Result<usize> {
    let threads = listing
        .lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .count();
    if threads == 0 {
        return Err(io::Error::other(format!(
            "ps listed no thread of this process: {listing:?}"
        )));
    }
    Ok(threads)
}

// ---- whether a process exists -------------------------------------------

/// Signal 0 checks that a process exists without disturbing it: ESRCH means
/// no process has the id (a zombie still has it); EPERM means one does, of
/// another user.
#[cfg(unix)]
pub(crate) fn process_exists(pid: u32) -> io::Result<bool> {
    use nix::errno::Errno;
    use nix::sys::signal::kill;
    use nix::unistd::Pid;

    let pid = i32::try_from(pid).map_err(|_| io::Error::other(format!("no such pid: {pid}")))?;
    match kill(Pid::from_raw(pid), None) {
        Ok(()) | Err(Errno::EPERM) => Ok(true),
        Err(Errno::ESRCH) => Ok(false),
        Err(errno) => Err(errno.into()),
    }
}

/// Windows: `tasklist`, filtered by the id, lists the process if it exists.
#[cfg(not(unix))]
pub(crate) fn process_exists(pid: u32) -> io::Result<bool> {
    let output = std::process::Command::new("tasklist")
        .args(["/FI", &format!("PID eq {pid}"), "/FO", "CSV", "/NH"])
        .output()
        .map_err(|e| io::Error::new(e.kind(), format!("cannot run tasklist: {e}")))?;
    if !output.status.success() {
        return Err(io::Error::other(format!(
            "tasklist failed ({})",
            output.status
        )));
    }
    // A listed process is a CSV line whose second field is its id.
    let listing = String::from_utf8_lossy(&output.stdout);
    Ok(listing.contains(&format!(",\"{pid}\",")))
}

// ---- Windows: none --------------------------------------------------------

#[cfg(not(unix))]
fn unsupported(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::Unsupported,
        format!("{what} is read on Linux and macOS only"),
    )
}

#[cfg(not(unix))]
pub(crate) fn resident_kib() -> io::Result<u64> {
    Err(unsupported("resident memory"))
}

#[cfg(not(unix))]
pub(crate) fn peak_kib() -> io::Result<u64> {
    Err(unsupported("peak memory"))
}

#[cfg(not(unix))]
pub(crate) fn reset_peak() -> io::Result<bool> {
    Err(unsupported("peak memory"))
}

#[cfg(not(unix))]
pub(crate) fn thread_count() -> io::Result<usize> {
    Err(unsupported("the thread count"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ps_thread_listing_counts_lines_after_the_header() {
        // The shape of macOS's `ps -M -p <pid>`: the first thread's line
        // carries the process's columns, the others leave them blank.
        let listing = "USER   PID   TT  %CPU STAT PRI     STIME     UTIME COMMAND\n\
                       me    4242 s000   0.0 S    31T   0:00.01   0:00.02 demo\n\
                       \x20     4242        0.0 S    31T   0:00.00   0:00.00\n\
                       \x20     4242        0.0 S    31T   0:00.00   0:00.00\n";
        assert_eq!(threads_in_ps_listing(listing).expect("three threads"), 3);
        assert!(threads_in_ps_listing("USER PID\n").is_err());
    }

    /// The macOS readers run on Linux too, so they are checked here against
    /// `/proc`'s exact figures.
    #[cfg(target_os = "linux")]
    #[test]
    fn ps_and_getrusage_agree_with_proc() {
        let block = vec![1u8; 128 << 20];
        std::hint::black_box(&block);
        let (ps_now, proc_now) = (
            ps_resident_kib().expect("ps"),
            resident_kib().expect("/proc"),
        );
        // Other tests allocate meanwhile; a factor of two is far outside
        // what they can add, and far inside a unit mistake (x1024).
        assert!(
            ps_now * 2 >= proc_now && ps_now <= proc_now * 2,
            "ps {ps_now} KiB, /proc {proc_now} KiB"
        );
        let rusage_peak = rusage_peak_kib().expect("getrusage");
        assert!(
            rusage_peak >= 128 * 1024 && rusage_peak <= 64 * proc_now,
            "getrusage peak {rusage_peak} KiB, resident {proc_now} KiB"
        );
    }
}
