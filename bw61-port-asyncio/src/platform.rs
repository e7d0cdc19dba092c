//! What differs between operating systems in this lesson's plumbing, in one
//! place: how the threaded server makes its listening socket, how its accept
//! loop waits for a client with a timeout, and the limit on open files.
//!
//! The game, the protocol and both servers' logic are the same everywhere.
//! Unix systems get a listening socket with a backlog of the course's choosing
//! (clamped to the system's `SOMAXCONN`: 4096 on Linux, 128 on macOS) and wait
//! for clients with `poll(2)`; Windows takes std's socket as it is and retries
//! a non-blocking `accept` every millisecond, since std offers no `poll` there.
//! Windows also has no per-process limit on open sockets to raise.

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::time::Duration;

/// The longest the accept loop waits before it looks at the stop flag again:
/// how long shutting a threaded server down may take at most.
pub const STOP_CHECK: Duration = Duration::from_millis(20);

/// The longest listen backlog the system grants: connections beyond it
/// that wait for `accept` have their handshakes dropped (and retried a
/// second later). `SOMAXCONN` on Unix (4096 on Linux, 128 on macOS); on
/// Windows, the 128 std asks for.
pub fn listen_backlog() -> usize {
    #[cfg(unix)]
    let most = i32::from(nix::sys::socket::Backlog::MAXCONN);
    #[cfg(not(unix))]
    let most = 128;
    usize::try_from(most).unwrap_or(128)
}

/// The book's `listener.bind(address)` and `listener.listen()`, with a
/// non-blocking listener: the accept loop waits in
/// [`wait_for_connection`] instead, so that it can also notice a shutdown.
///
/// std's `TcpListener::bind` fixes the backlog at 128, so on Unix the socket
/// is made with `nix` and handed to std, which then owns it.
#[cfg(unix)]
pub(crate) fn bind(addr: SocketAddr, backlog: u32) -> io::Result<TcpListener> {
    use nix::sys::socket::{self, AddressFamily, Backlog, SockType, SockaddrStorage, sockopt};
    use std::os::fd::{AsRawFd, OwnedFd};

    let family = if addr.is_ipv4() {
        AddressFamily::Inet
    } else {
        AddressFamily::Inet6
    };
    let fd: OwnedFd = socket::socket(family, SockType::Stream, cloexec_flag(), None)?;
    set_cloexec(&fd)?;
    // Lets a restarted server bind its port while old connections linger in TIME_WAIT.
    socket::setsockopt(&fd, sockopt::ReuseAddr, &true)?;
    socket::bind(fd.as_raw_fd(), &SockaddrStorage::from(addr))?;
    // nix refuses a backlog above SOMAXCONN (EINVAL) instead of clamping it
    // as the kernel would.
    let backlog =
        usize::try_from(backlog).map_or(listen_backlog(), |asked| asked.min(listen_backlog()));
    socket::listen(
        &fd,
        Backlog::new(i32::try_from(backlog).unwrap_or(i32::MAX))?,
    )?;
    let listener = TcpListener::from(fd);
    listener.set_nonblocking(true)?;
    Ok(listener)
}

/// Linux closes the socket in children at creation (`SOCK_CLOEXEC`), so no
/// thread starting a process meanwhile can leak it.
#[cfg(target_os = "linux")]
fn cloexec_flag() -> nix::sys::socket::SockFlag {
    nix::sys::socket::SockFlag::SOCK_CLOEXEC
}

#[cfg(target_os = "linux")]
fn set_cloexec(_fd: &std::os::fd::OwnedFd) -> io::Result<()> {
    Ok(())
}

/// macOS has no `SOCK_CLOEXEC`: the flag is set right after creation.
#[cfg(all(unix, not(target_os = "linux")))]
fn cloexec_flag() -> nix::sys::socket::SockFlag {
    nix::sys::socket::SockFlag::empty()
}

#[cfg(all(unix, not(target_os = "linux")))]
fn set_cloexec(fd: &std::os::fd::OwnedFd) -> io::Result<()> {
    use nix::fcntl::{FcntlArg, FdFlag, fcntl};
    fcntl(fd, FcntlArg::F_SETFD(FdFlag::FD_CLOEXEC))?;
    Ok(())
}

/// Windows: std's socket (its backlog is the system's maximum), non-blocking.
#[cfg(not(unix))]
pub(crate) fn bind(addr: SocketAddr, _backlog: u32) -> io::Result<TcpListener> {
    let listener = TcpListener::bind(addr)?;
    listener.set_nonblocking(true)?;
    Ok(listener)
}

/// Waits until a client may be waiting on `listener`, or at most
/// [`STOP_CHECK`]. `accept` may still find nothing (another wake-up took it,
/// or the time ran out); the caller just loops.
#[cfg(unix)]
pub(crate) fn wait_for_connection(listener: &TcpListener) -> io::Result<()> {
    use nix::errno::Errno;
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
    use std::os::fd::AsFd;

    let mut fds = [PollFd::new(listener.as_fd(), PollFlags::POLLIN)];
    let timeout = PollTimeout::try_from(STOP_CHECK).map_err(io::Error::other)?;
    match poll(&mut fds, timeout) {
        Ok(_) | Err(Errno::EINTR) => Ok(()),
        Err(errno) => Err(errno.into()),
    }
}

/// Windows: std has no `poll`, so the loop sleeps a millisecond between tries.
#[cfg(not(unix))]
pub(crate) fn wait_for_connection(_listener: &TcpListener) -> io::Result<()> {
    std::thread::sleep(Duration::from_millis(1));
    Ok(())
}

/// This process's soft and hard limits on open files; `None` where there is
/// no such limit (Windows).
#[cfg(unix)]
pub(crate) fn open_file_limits() -> io::Result<Option<(u64, u64)>> {
    use nix::sys::resource::{self, Resource};
    let (soft, hard) = resource::getrlimit(Resource::RLIMIT_NOFILE)?;
    Ok(Some((soft, hard)))
}

#[cfg(not(unix))]
pub(crate) fn open_file_limits() -> io::Result<Option<(u64, u64)>> {
    Ok(None)
}

/// Raises the soft limit on open files as far as the hard limit allows and
/// returns it. An unlimited hard limit cannot become the soft one: the kernel
/// caps descriptors on its own (Linux: `fs.nr_open`, macOS:
/// `kern.maxfilesperproc`), and `setrlimit` refuses more. Then the largest of
/// a few usual caps that the kernel accepts is taken.
#[cfg(unix)]
pub(crate) fn raise_soft_file_limit() -> io::Result<u64> {
    use nix::sys::resource::{self, RLIM_INFINITY, Resource};
    const USUAL_CAPS: [u64; 5] = [1 << 20, 1 << 18, 1 << 16, 24_576, 10_240];

    let (soft, hard) = resource::getrlimit(Resource::RLIMIT_NOFILE)?;
    if soft >= hard {
        return Ok(soft);
    }
    if hard != RLIM_INFINITY {
        resource::setrlimit(Resource::RLIMIT_NOFILE, hard, hard)?;
        return Ok(hard);
    }
    for cap in USUAL_CAPS.into_iter().filter(|&cap| cap > soft) {
        if resource::setrlimit(Resource::RLIMIT_NOFILE, cap, hard).is_ok() {
            return Ok(cap);
        }
    }
    Ok(soft)
}

#[cfg(not(unix))]
pub(crate) fn raise_soft_file_limit() -> io::Result<u64> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "this system has no limit on open files to raise",
    ))
}
