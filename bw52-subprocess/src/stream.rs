//! Step 4: stream data through a child — and the deadlock waiting for anyone
//! who writes everything before reading anything.
//!
//! A pipe is a small kernel buffer (64 KiB on Linux, 16–64 KiB on macOS). A
//! filter such as `cat` reads its input and writes its output; when nobody
//! drains its output pipe, it blocks writing, stops reading, and our input
//! pipe fills up too. A parent that first writes all its input and only then
//! reads the output blocks forever once the data outgrows the buffers.
//! Python's `communicate()` avoids it by writing and reading together; in
//! Rust we do it ourselves: one thread writes, another reads.

use std::io::{self, Write};
use std::panic;
use std::process::{ChildStdin, Command, Output, Stdio};
use std::thread;
use std::time::Duration;

use nix::sys::signal::Signal;

use crate::capture::{RunError, check};
use crate::guard::{ChildGuard, read_all};

/// Sends `input` through `command` (its stdin) and returns everything it
/// printed (its stdout), however large, without deadlocking; fails if the
/// child does not exit with code 0.
///
/// ```
/// use std::process::Command;
///
/// let data = vec![b'x'; 1 << 20];
/// let echoed = bw52_subprocess::pipe_through(&mut Command::new("cat"), &data)?;
/// assert_eq!(echoed, data);
/// # Ok::<(), bw52_subprocess::RunError>(())
/// ```
pub fn pipe_through(command: &mut Command, input: &[u8]) -> Result<Vec<u8>, RunError> {
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = ChildGuard::spawn(command)?;
    let program = child.program().to_owned();
    let io_error = |source| RunError::Io {
        program: program.clone(),
        source,
    };
    let stdin = child.take_stdin().expect("stdin was set to piped");
    let stdout = child.take_stdout().expect("stdout was set to piped");
    let stderr = child.take_stderr().expect("stderr was set to piped");

    // Three flows at once: we write stdin, and read stdout and stderr. Scoped
    // threads may borrow `input`, and the scope joins them before returning,
    // whatever happens.
    let (fed, stdout, stderr) = thread::scope(|s| {
        let writer = s.spawn(move || feed(stdin, input));
        let stderr_reader = s.spawn(move || read_all(stderr));
        let stdout = read_all(stdout);
        (join(writer), stdout, join(stderr_reader))
    });
    // Reap before looking at any error, so that none leaves a zombie (the
    // guard would reap too, but the status is what explains the failure).
    let status = child.wait().map_err(io_error)?;
    let output = Output {
        status,
        stdout: stdout.map_err(io_error)?,
        stderr: stderr.map_err(io_error)?,
    };
    let output = check(&program, output)?;
    fed.map_err(io_error)?;
    Ok(output.stdout)
}

/// Writes all of `input` to a child's stdin, then closes it.
pub(crate) fn feed(mut stdin: ChildStdin, input: &[u8]) -> io::Result<()> {
    match stdin.write_all(input) {
        // The child stopped reading (it exited, like `head` does). Whether
        // that was a failure is for its exit status to say, as in a shell.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
    // `stdin` is dropped here: closing our end is how the child learns that
    // the input has ended. Forgetting this is the other classic hang.
}

/// Joins a scoped thread, passing its panic on to the caller.
pub(crate) fn join<T>(handle: thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| panic::resume_unwind(panic))
}

/// How the naive write-everything-then-read approach went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NaiveOutcome {
    /// The data fitted in the pipes: the output came back.
    Completed(Vec<u8>),
    /// The parent blocked writing; the watchdog killed the child after the
    /// patience ran out. `written` bytes had gone in — roughly what the pipes
    /// and the child's own buffer can hold.
    Stuck {
        /// Bytes accepted before the parent blocked.
        written: usize,
    },
}

/// The mistake, made on purpose: write all of `input` to the child, *then*
/// read its output. A watchdog kills the child after `patience` so the
/// deadlock ends (our blocked write then fails with "broken pipe") and can be
/// reported instead of hanging the program.
pub fn write_then_read(
    command: &mut Command,
    input: &[u8],
    patience: Duration,
) -> Result<NaiveOutcome, RunError> {
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = ChildGuard::spawn(command)?;
    let program = child.program().to_owned();
    let mut stdin = child.take_stdin().expect("stdin was set to piped");
    let stdout = child.take_stdout().expect("stdout was set to piped");

    let watchdog = child
        .watchdog(patience, Signal::SIGKILL)
        .map_err(|source| RunError::Io {
            program: program.clone(),
            source,
        })?;
    // Write piece by piece to count what got in before we blocked.
    let mut written = 0;
    let wrote = loop {
        if written == input.len() {
            break Ok(());
        }
        match stdin.write(&input[written..]) {
            Ok(0) => break Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => written += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => break Err(e),
        }
    };
    drop(stdin);
    let read = read_all(stdout);
    // Disarm only now: reading could hang as well if the child misbehaved.
    let fired = watchdog.disarm();
    let status = child.wait();

    if fired {
        return Ok(NaiveOutcome::Stuck { written });
    }
    let io_error = |source| RunError::Io {
        program: program.clone(),
        source,
    };
    wrote.map_err(io_error)?;
    let stdout = read.map_err(io_error)?;
    let status = status.map_err(io_error)?;
    let output = check(
        &program,
        Output {
            status,
            stdout,
            stderr: Vec::new(),
        },
    )?;
    Ok(NaiveOutcome::Completed(output.stdout))
}

/// `len` bytes of deterministic test data covering all 256 byte values (a
/// 31-bit LCG, the course's usual one, seeded with `seed`), so a transform
/// like ROT13 meets letters and non-letters alike.
pub fn sample_data(len: usize, seed: u32) -> Vec<u8> {
    let mut state = seed & 0x7fff_ffff;
    (0..len)
        .map(|_| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345) & 0x7fff_ffff;
            // The high bits of an LCG are the well-mixed ones.
            (state >> 16) as u8
        })
        .collect()
}
