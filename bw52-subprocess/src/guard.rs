//! The Rust twist: a [`Child`] is neither killed nor reaped when it is
//! dropped, and [`Child::wait`] has no timeout. [`ChildGuard`] adds both.
//!
//! Python's `Popen` is reaped eventually — its finalizer and the next `Popen`
//! collect finished children — and `wait(timeout=...)` exists. Rust's standard
//! library does neither: dropping a [`Child`] forgets it, so a running child
//! keeps running and a finished one stays a zombie until the whole program
//! exits ([`crate::zombie`] shows both). The guard here is the usual Rust
//! answer, RAII: whoever owns the guard owns the process, and when the guard
//! goes away (normally, by `?`, or by a panic unwinding) the process is killed
//! and reaped.

use std::io::{self, Read};
use std::marker::PhantomData;
use std::os::unix::process::ExitStatusExt;
use std::panic;
use std::process::{Child, ChildStderr, ChildStdin, ChildStdout, Command, ExitStatus, Output};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, SyncSender};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use nix::errno::Errno;
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{Id, WaitPidFlag, waitid};
use nix::unistd::Pid;

use crate::capture::{RunError, program_name, spawn_error};

/// A child process that is killed (SIGKILL) and reaped when the guard is
/// dropped, with the timed wait std lacks.
///
/// ```
/// use std::process::Command;
/// use std::time::Duration;
/// use bw52_subprocess::ChildGuard;
///
/// let mut child = ChildGuard::spawn(Command::new("sleep").arg("30"))?;
/// // std's `wait` would block for 30 s; this gives up after 10 ms.
/// assert_eq!(child.wait_timeout(Duration::from_millis(10))?, None);
/// drop(child); // killed and reaped here: no process, no zombie
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct ChildGuard {
    /// The process. Its pid stays ours until it is reaped; after that the
    /// kernel may give the same number to any new process.
    child: Child,
    /// The program, for error messages.
    program: String,
    /// How the child ended, once reaped. `Some` also means "never signal this
    /// pid again": it may already belong to a stranger.
    status: Option<ExitStatus>,
    /// The thread that lets [`ChildGuard::wait_timeout`] time out; started by
    /// the first timed wait, joined on drop.
    watch: Option<ExitWatch>,
}

impl ChildGuard {
    /// Starts `command` and guards the child. A missing program is
    /// [`RunError::NotFound`].
    pub fn spawn(command: &mut Command) -> Result<Self, RunError> {
        let child = command.spawn().map_err(|e| spawn_error(command, e))?;
        Ok(Self::new(child, program_name(command)))
    }

    /// Guards a child that was started elsewhere. It must not have been
    /// waited for yet.
    pub fn new(child: Child, program: impl Into<String>) -> Self {
        Self {
            child,
            program: program.into(),
            status: None,
            watch: None,
        }
    }

    /// The child's process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// The child's process id as `nix` takes it.
    pub fn pid(&self) -> Pid {
        Pid::from_raw(i32::try_from(self.child.id()).expect("Linux process ids fit in pid_t"))
    }

    /// The program this child runs.
    pub fn program(&self) -> &str {
        &self.program
    }

    /// How the child ended, if it has been reaped.
    pub fn status(&self) -> Option<ExitStatus> {
        self.status
    }

    /// Takes the parent's end of the child's standard input, if it was piped.
    /// Dropping it closes the pipe: the child then reads end-of-file.
    pub fn take_stdin(&mut self) -> Option<ChildStdin> {
        self.child.stdin.take()
    }

    /// Takes the parent's end of the child's standard output, if it was piped.
    pub fn take_stdout(&mut self) -> Option<ChildStdout> {
        self.child.stdout.take()
    }

    /// Takes the parent's end of the child's standard error, if it was piped.
    pub fn take_stderr(&mut self) -> Option<ChildStderr> {
        self.child.stderr.take()
    }

    /// Reaps the child if it has ended, without blocking — the book's
    /// `Popen.poll()`, [`Child::try_wait`] in std.
    pub fn try_wait(&mut self) -> io::Result<Option<ExitStatus>> {
        if let Some(status) = self.status {
            return Ok(Some(status));
        }
        if let Some(watch) = &mut self.watch {
            // With a watch thread running we reap only after it has seen the
            // exit; see `ExitWatch` for why.
            return if watch.wait(Some(Duration::ZERO))? {
                self.reap().map(Some)
            } else {
                Ok(None)
            };
        }
        let status = self.child.try_wait()?;
        self.status = status;
        Ok(status)
    }

    /// Blocks until the child ends, and reaps it. Like std's
    /// [`Child::wait`], it first closes the child's stdin if we still hold
    /// it, so a child reading its input to the end cannot wait for us forever.
    pub fn wait(&mut self) -> io::Result<ExitStatus> {
        if let Some(status) = self.status {
            return Ok(status);
        }
        drop(self.take_stdin());
        if let Some(watch) = &mut self.watch {
            watch.wait(None)?;
        }
        self.reap()
    }

    /// Waits at most `timeout` for the child to end. `Ok(None)` means it is
    /// still running (and still ours: nothing was killed, and its stdin, if
    /// we hold it, stays open).
    ///
    /// std has no such call: [`Child::wait`] blocks for as long as the child
    /// lives. So a thread does the blocking wait and tells us through a
    /// channel, and [`Receiver::recv_timeout`] supplies the timeout.
    pub fn wait_timeout(&mut self, timeout: Duration) -> io::Result<Option<ExitStatus>> {
        if let Some(status) = self.status {
            return Ok(Some(status));
        }
        let pid = self.pid();
        let watch = match &mut self.watch {
            Some(watch) => watch,
            none => none.insert(ExitWatch::start(pid)?),
        };
        if watch.wait(Some(timeout))? {
            self.reap().map(Some)
        } else {
            Ok(None)
        }
    }

    /// Sends `signal` to the child. Once the child has been reaped this does
    /// nothing: its pid is no longer ours to signal.
    pub fn signal(&self, signal: Signal) -> io::Result<()> {
        if self.status.is_none() {
            // Not reaped, so the pid cannot have been reused: even a child
            // that has exited still holds it (as a zombie) until we reap it.
            kill(self.pid(), signal)?;
        }
        Ok(())
    }

    /// Asks the child to stop (SIGTERM, the book's `terminate()`), waits up to
    /// `grace` for it, then kills it (SIGKILL, which cannot be caught or
    /// ignored) if it is still there. Always reaps.
    pub fn terminate(&mut self, grace: Duration) -> io::Result<Termination> {
        self.signal(Signal::SIGTERM)?;
        if let Some(status) = self.wait_timeout(grace)? {
            return Ok(Termination {
                status,
                escalated: false,
            });
        }
        self.signal(Signal::SIGKILL)?;
        let status = self.wait()?;
        Ok(Termination {
            status,
            escalated: true,
        })
    }

    /// Closes the child's stdin, reads whatever is left of its stdout and
    /// stderr (both at once, so a child filling one pipe cannot stall us
    /// reading the other), then reaps it — `communicate()` without input.
    pub fn wait_with_output(mut self) -> io::Result<Output> {
        drop(self.take_stdin());
        let (stdout, stderr) = read_both(self.take_stdout(), self.take_stderr())?;
        let status = self.wait()?;
        Ok(Output {
            status,
            stdout,
            stderr,
        })
    }

    /// Arms a watchdog that sends `signal` to the child after `after` unless
    /// it is disarmed (or dropped) first.
    ///
    /// The watchdog borrows the guard, so while it is armed nobody can call
    /// [`wait`](Self::wait) or [`try_wait`](Self::try_wait) (they need
    /// `&mut self`): the compiler itself guarantees the child is not reaped —
    /// and its pid not recycled — while a signal may still be sent to it.
    /// Take the pipes you need before arming it.
    pub fn watchdog(&self, after: Duration, signal: Signal) -> io::Result<Watchdog<'_>> {
        let pid = self.status.is_none().then(|| self.pid());
        let (stop_tx, stop_rx) = mpsc::channel::<()>();
        let thread = thread::Builder::new()
            .name("bw52-watchdog".into())
            .spawn(move || match stop_rx.recv_timeout(after) {
                Err(RecvTimeoutError::Timeout) => pid.is_some_and(|pid| kill(pid, signal).is_ok()),
                // Disarmed: the sender was dropped.
                Ok(()) | Err(RecvTimeoutError::Disconnected) => false,
            })?;
        Ok(Watchdog {
            stop_tx: Some(stop_tx),
            thread: Some(thread),
            _child: PhantomData,
        })
    }

    fn reap(&mut self) -> io::Result<ExitStatus> {
        let status = self.child.wait()?;
        self.status = Some(status);
        Ok(status)
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if self.status.is_none() {
            // Errors have no one to go to in `drop`. Killing our own unreaped
            // child cannot fail in practice, and a zombie ignores the signal
            // harmlessly; the wait then collects it either way.
            let _ = self.signal(Signal::SIGKILL);
            if self.wait().is_err() {
                // Only if the watch thread failed: reap directly instead.
                let _ = self.child.wait();
            }
        }
        if let Some(watch) = &mut self.watch {
            // The child is gone, so the watch thread has returned or is about
            // to: joining cannot hang, and no thread outlives the guard.
            watch.join();
        }
    }
}

/// How [`ChildGuard::terminate`] ended the child.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Termination {
    /// The reaped child's status: usually "terminated by signal 15", or 9
    /// after escalation; a child that catches SIGTERM may exit normally.
    pub status: ExitStatus,
    /// Whether SIGTERM was not enough and SIGKILL had to be sent.
    pub escalated: bool,
}

impl Termination {
    /// The signal that ended the child, if one did.
    pub fn signal(&self) -> Option<i32> {
        self.status.signal()
    }
}

/// A thread blocked in `waitid(WEXITED | WNOWAIT)` on one child.
///
/// `WNOWAIT` is the point: the thread learns that the child has exited but
/// leaves it a zombie, so only the guard's own thread ever reaps it. Had the
/// watch thread reaped (a plain `waitpid`), there would be a window in which
/// the guard, not yet told, sends SIGTERM to a pid the kernel has already
/// handed to some other process.
#[derive(Debug)]
struct ExitWatch {
    /// Receives exactly one message: the child has exited, or waiting failed.
    exited_rx: Receiver<io::Result<()>>,
    /// Whether that message said "exited".
    exited: bool,
    /// The watch thread, joined by [`ExitWatch::join`].
    thread: Option<JoinHandle<()>>,
}

impl ExitWatch {
    fn start(pid: Pid) -> io::Result<Self> {
        // Capacity one: the thread sends once and never waits for a reader.
        let (exited_tx, exited_rx): (SyncSender<io::Result<()>>, _) = mpsc::sync_channel(1);
        let thread = thread::Builder::new()
            .name("bw52-exit-watch".into())
            .spawn(move || {
                let seen = loop {
                    match waitid(Id::Pid(pid), WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT) {
                        Err(Errno::EINTR) => continue,
                        other => break other.map(drop).map_err(io::Error::from),
                    }
                };
                // The guard may have stopped listening (it is being dropped);
                // then nobody needs the news.
                let _ = exited_tx.send(seen);
            })?;
        Ok(Self {
            exited_rx,
            exited: false,
            thread: Some(thread),
        })
    }

    /// Waits up to `timeout` (forever for `None`); `true` once the child has
    /// exited and may be reaped without blocking.
    fn wait(&mut self, timeout: Option<Duration>) -> io::Result<bool> {
        if self.exited {
            return Ok(true);
        }
        let message = match timeout {
            None => self.exited_rx.recv().map_err(|_| watch_gone())?,
            Some(timeout) => match self.exited_rx.recv_timeout(timeout) {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) => return Ok(false),
                Err(RecvTimeoutError::Disconnected) => return Err(watch_gone()),
            },
        };
        message?;
        self.exited = true;
        Ok(true)
    }

    fn join(&mut self) {
        if let Some(thread) = self.thread.take()
            && let Err(panic) = thread.join()
        {
            panic::resume_unwind(panic);
        }
    }
}

fn watch_gone() -> io::Error {
    io::Error::other("the exit-watch thread stopped without reporting (waiting failed earlier)")
}

/// Sends a signal to a child after a delay unless disarmed first; see
/// [`ChildGuard::watchdog`]. Dropping it disarms it.
#[derive(Debug)]
#[must_use = "a watchdog disarms itself when dropped"]
pub struct Watchdog<'a> {
    /// Dropping this sender is the "disarm" message.
    stop_tx: Option<Sender<()>>,
    /// Returns whether the signal was sent.
    thread: Option<JoinHandle<bool>>,
    /// Ties the watchdog to the borrowed guard (see [`ChildGuard::watchdog`]).
    _child: PhantomData<&'a ChildGuard>,
}

impl Watchdog<'_> {
    /// Disarms the watchdog; returns whether it had already fired.
    pub fn disarm(mut self) -> bool {
        self.stop()
    }

    fn stop(&mut self) -> bool {
        drop(self.stop_tx.take());
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(fired)) => fired,
            Some(Err(panic)) => panic::resume_unwind(panic),
            None => false,
        }
    }
}

impl Drop for Watchdog<'_> {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Reads a child's stdout and stderr to the end at the same time (stderr on a
/// scoped thread). Reading one after the other could deadlock: the child may
/// block writing to the pipe we are not reading.
pub(crate) fn read_both(
    stdout: Option<ChildStdout>,
    stderr: Option<ChildStderr>,
) -> io::Result<(Vec<u8>, Vec<u8>)> {
    thread::scope(|s| {
        let stderr_reader = stderr.map(|pipe| s.spawn(move || read_all(pipe)));
        let stdout = stdout.map_or_else(|| Ok(Vec::new()), read_all);
        let stderr = match stderr_reader.map(|reader| reader.join()) {
            Some(Ok(result)) => result?,
            Some(Err(panic)) => panic::resume_unwind(panic),
            None => Vec::new(),
        };
        Ok((stdout?, stderr))
    })
}

/// Reads a pipe until the writer closes it.
pub(crate) fn read_all(mut pipe: impl Read) -> io::Result<Vec<u8>> {
    let mut buffer = Vec::new();
    pipe.read_to_end(&mut buffer)?;
    Ok(buffer)
}
