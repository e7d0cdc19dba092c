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
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use tracing::Span;

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
    /// The child's `child process` span: open from the start until the reap,
    /// then replaced by a disabled span, which closes it.
    span: Span,
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
        let program = program.into();
        Self {
            span: child_span(Some(&program)),
            child,
            program,
            status: None,
        }
    }

    /// The child's process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// The child's process id as `nix` takes it.
    pub fn pid(&self) -> Pid {
        pid_of(&self.child)
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
        let status = self.child.try_wait()?;
        if let Some(status) = status {
            self.reaped(status);
        }
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
        let status = self.child.wait()?;
        self.reaped(status);
        Ok(status)
    }

    /// Notes that the child was reaped with `status`, and ends its span.
    fn reaped(&mut self, status: ExitStatus) {
        self.status = Some(status);
        self.span = Span::none();
    }

    /// Waits at most `timeout` for the child to end. `Ok(None)` means it is
    /// still running (and still ours: nothing was killed, and its stdin, if
    /// we hold it, stays open).
    ///
    /// std has no such call: [`Child::wait`] blocks for as long as the child
    /// lives. So this asks [`try_wait`](Self::try_wait) again and again,
    /// sleeping in between — 1 ms at first, twice as long each time, 10 ms at
    /// most: a child that ends is noticed and reaped within 10 ms, and a long
    /// wait costs about a hundred wake-ups a second. CPython's
    /// `Popen.wait(timeout=...)` has long worked the same way on Unix.
    ///
    /// Why not a thread blocked in [`Child::wait`], reporting through a
    /// channel? That thread would reap the child, and between its reaping and
    /// our hearing of it we might still signal the pid — which the kernel may
    /// already have given to another process. Waiting *without* reaping
    /// (`waitid` with `WNOWAIT`) would avoid that, but `nix` offers it only on
    /// Linux and a few BSDs, not on macOS. Polling from the owner's thread
    /// works on every Unix, and only the owner ever reaps.
    pub fn wait_timeout(&mut self, timeout: Duration) -> io::Result<Option<ExitStatus>> {
        poll_until(timeout, || self.try_wait())
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
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if self.status.is_none() {
            // Errors have no one to go to in `drop`. Killing our own unreaped
            // child cannot fail in practice, and a zombie ignores the signal
            // harmlessly; the wait then collects it either way.
            let _ = self.signal(Signal::SIGKILL);
            let _ = self.wait();
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

/// How many children this process has started, to number their lanes.
static CHILDREN_STARTED: AtomicUsize = AtomicUsize::new(0);

/// The span of one child process, to be created just after it started and
/// dropped just after it was reaped: the child's lifetime as the parent sees
/// it. Its lane is `child N`, the N-th child this process started, and it
/// carries the program the child runs when that is known.
///
/// It is a root span (`parent: None`), wherever it is created: a trace that
/// draws a lane per top-level span (`Lanes::Tasks`) gives every child a lane
/// of its own, and no child's lane is merged into whatever span happened to
/// be current where it was started. Unless something records spans, it is a
/// disabled span and the lane's name is never formatted.
pub(crate) fn child_span(program: Option<&str>) -> Span {
    let number = CHILDREN_STARTED.fetch_add(1, Ordering::Relaxed) + 1;
    // Every field is given at creation: a trace writes a span's fields when
    // the span begins, so one recorded later would be missing there.
    match program {
        Some(program) => tracing::info_span!(
            parent: None,
            "child process",
            lane = %format!("child {number}"),
            command = %program
        ),
        None => tracing::info_span!(
            parent: None,
            "child process",
            lane = %format!("child {number}")
        ),
    }
}

/// The first pause of [`poll_until`]; each later one is twice as long...
const FIRST_PAUSE: Duration = Duration::from_millis(1);
/// ...up to this. It bounds how late an awaited change is noticed.
const LONGEST_PAUSE: Duration = Duration::from_millis(10);

/// Calls `check` until it has an answer or `timeout` has passed, sleeping in
/// between: 1 ms, 2 ms, 4 ms, 8 ms, then 10 ms at a time. `Ok(None)` means
/// the time ran out; `check` always runs at least once, so even a zero
/// timeout looks once.
///
/// Short pauses first, because most waits end soon; longer ones later, so a
/// long wait does not keep a core busy. The last pause is cut short to end
/// the wait on time.
pub(crate) fn poll_until<T>(
    timeout: Duration,
    mut check: impl FnMut() -> io::Result<Option<T>>,
) -> io::Result<Option<T>> {
    let start = Instant::now();
    let mut pause = FIRST_PAUSE;
    loop {
        if let Some(answer) = check()? {
            return Ok(Some(answer));
        }
        let left = timeout.saturating_sub(start.elapsed());
        if left.is_zero() {
            return Ok(None);
        }
        thread::sleep(pause.min(left));
        pause = (pause * 2).min(LONGEST_PAUSE);
    }
}

/// A child's process id as `nix` takes it.
pub(crate) fn pid_of(child: &Child) -> Pid {
    // std hands out the pid as a `u32`; the kernel's `pid_t` is a positive
    // `i32` on every Unix.
    Pid::from_raw(i32::try_from(child.id()).expect("process ids fit in pid_t"))
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
