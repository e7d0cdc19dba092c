//! The one part of this lesson only Linux can show: a thread the operating
//! system refuses, provoked on purpose by lowering a limit.
//!
//! Linux's `RLIMIT_NPROC` counts a user's tasks — threads as well as
//! processes — so a child process can lower it and have its own threads
//! refused. macOS's `RLIMIT_NPROC` counts processes only, so lowering it
//! refuses no thread; Windows has no per-user limit on threads at all. The
//! rest of the lesson (costs, failing and panicking cells, an impossible
//! stack) runs everywhere.

use std::io;

/// Why the refused-thread experiment cannot run on this system; `None` on
/// Linux, where it runs.
pub const THREAD_LIMIT_UNAVAILABLE: Option<&str> = if cfg!(target_os = "linux") {
    None
} else if cfg!(unix) {
    Some("RLIMIT_NPROC limits processes here, not threads, so lowering it refuses no thread")
} else {
    Some("there is no per-user limit on threads to lower")
};

/// Lowers `RLIMIT_NPROC` so that this process may start about `threads` more
/// threads; as root, first switches to user `uid` (root ignores the limit).
#[cfg(target_os = "linux")]
pub(crate) fn limit_threads(uid: u32, threads: u64) -> io::Result<u64> {
    use nix::sys::resource::{Resource, setrlimit};
    use nix::unistd::{Gid, Uid, setgroups, setresgid, setresuid};

    let limit = if Uid::current().is_root() {
        // Groups and group id first: after the user id changes, the process
        // no longer has the privilege to change them.
        let switch = || -> nix::Result<()> {
            setgroups(&[])?;
            let gid = Gid::from_raw(uid);
            setresgid(gid, gid, gid)?;
            let uid = Uid::from_raw(uid);
            setresuid(uid, uid, uid)
        };
        switch().map_err(|e| {
            io::Error::other(format!("cannot switch from root to user id {uid}: {e}"))
        })?;
        // The new user owns exactly one task, this one.
        1 + threads
    } else {
        // The limit counts every task of this user, visible in /proc as
        // each process's Threads: line. Tasks that start or end meanwhile
        // only change how many threads the child gets, never whether the
        // limit is reached.
        tasks_of_user(Uid::current().as_raw()) + threads
    };
    setrlimit(Resource::RLIMIT_NPROC, limit, limit)
        .map_err(|e| io::Error::other(format!("cannot lower RLIMIT_NPROC to {limit}: {e}")))?;
    Ok(limit)
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn limit_threads(_uid: u32, _threads: u64) -> io::Result<u64> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        THREAD_LIMIT_UNAVAILABLE.unwrap_or("only Linux limits threads per user"),
    ))
}

/// Whether this process runs as root.
#[cfg(target_os = "linux")]
pub(crate) fn runs_as_root() -> bool {
    nix::unistd::Uid::current().is_root()
}

/// Whether this process runs as root; only asked where the limit exists.
#[cfg(not(target_os = "linux"))]
pub(crate) fn runs_as_root() -> bool {
    false
}

/// The number of tasks (threads of all processes) of user `uid` that this
/// process can see in `/proc`. Processes that vanish while being read are
/// skipped.
#[cfg(target_os = "linux")]
fn tasks_of_user(uid: u32) -> u64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .flatten()
        .filter(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .bytes()
                .all(|b| b.is_ascii_digit())
        })
        .filter_map(|entry| std::fs::read_to_string(entry.path().join("status")).ok())
        .filter_map(|status| {
            let field = |name: &str| {
                status
                    .lines()
                    .find_map(|line| line.strip_prefix(name))
                    .and_then(|rest| rest.split_whitespace().next())
                    .and_then(|value| value.parse::<u64>().ok())
            };
            // "Uid:" lists the real, effective, saved and filesystem ids;
            // the limit counts tasks by real user id.
            (field("Uid:")? == u64::from(uid)).then(|| field("Threads:"))?
        })
        .sum()
}
