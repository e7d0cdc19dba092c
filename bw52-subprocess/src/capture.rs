//! Step 1: run a child to completion and capture what it printed.
//!
//! The book's first example is `subprocess.run(..., capture_output=True)`
//! followed by `result.check_returncode()`. In Rust the same is
//! [`Command::output`]; what Python raises as `CalledProcessError`,
//! `FileNotFoundError` or `OSError` becomes one typed [`RunError`] whose every
//! variant names the program, so a caller can branch on it and a user can read
//! it.

use std::io;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, ExitStatus, Output, Stdio};

use nix::sys::signal::Signal;

use crate::guard::child_span;

/// Why running a child failed. Every variant names the program.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The program is not on `PATH` (or the path given does not exist).
    #[error("program not found: {program:?} (is it installed and on PATH?)")]
    NotFound {
        /// The program as it was given to [`Command::new`].
        program: String,
    },
    /// The program exists but could not be started (permissions, a missing
    /// working directory, too many processes, ...).
    #[error("could not start {program:?}: {source}")]
    Spawn {
        /// The program as it was given to [`Command::new`].
        program: String,
        /// What the operating system said.
        source: io::Error,
    },
    /// The child ran and ended unsuccessfully: a non-zero exit code or a
    /// signal. This is the book's `CalledProcessError`.
    #[error("{program:?} failed with {}{}", describe_status(*status), stderr_suffix(stderr))]
    Failed {
        /// The program as it was given to [`Command::new`].
        program: String,
        /// How it ended; see [`RunError::code`] and [`describe_status`].
        status: ExitStatus,
        /// What it wrote to its standard error (lossily decoded), often the
        /// only explanation there is.
        stderr: String,
    },
    /// Talking to the running child failed (reading its output, waiting).
    #[error("I/O with {program:?} failed: {source}")]
    Io {
        /// The program as it was given to [`Command::new`].
        program: String,
        /// What the operating system said.
        source: io::Error,
    },
}

impl RunError {
    /// The exit code of a [`RunError::Failed`] child, if it exited (rather
    /// than being killed by a signal).
    pub fn code(&self) -> Option<i32> {
        match self {
            Self::Failed { status, .. } => status.code(),
            _ => None,
        }
    }

    /// The signal that ended a [`RunError::Failed`] child, if one did.
    pub fn signal(&self) -> Option<i32> {
        match self {
            Self::Failed { status, .. } => status.signal(),
            _ => None,
        }
    }

    /// The captured standard error of a [`RunError::Failed`] child.
    pub fn stderr(&self) -> Option<&str> {
        match self {
            Self::Failed { stderr, .. } => Some(stderr),
            _ => None,
        }
    }

    /// The program this error is about.
    pub fn program(&self) -> &str {
        match self {
            Self::NotFound { program }
            | Self::Spawn { program, .. }
            | Self::Failed { program, .. }
            | Self::Io { program, .. } => program,
        }
    }
}

fn stderr_suffix(stderr: &str) -> String {
    let trimmed = stderr.trim_end();
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("; stderr: {trimmed}")
    }
}

/// Says how a child ended, the way this course prints it:
/// `exit code 0`, `exit code 3` or `terminated by signal 15 (SIGTERM)`.
///
/// Python folds both into one number (`returncode == -15` for SIGTERM); Rust's
/// [`ExitStatus`] keeps them apart: [`ExitStatus::code`] is `None` when a
/// signal ended the child, and [`ExitStatusExt::signal`] says which.
pub fn describe_status(status: ExitStatus) -> String {
    if let Some(code) = status.code() {
        format!("exit code {code}")
    } else if let Some(signal) = status.signal() {
        match Signal::try_from(signal) {
            Ok(known) => format!("terminated by signal {signal} ({})", known.as_str()),
            Err(_) => format!("terminated by signal {signal}"),
        }
    } else {
        // Stopped or continued: only reported when asked for, which we never do.
        status.to_string()
    }
}

/// The program of a command as a printable string, for error messages.
pub fn program_name(command: &Command) -> String {
    command.get_program().to_string_lossy().into_owned()
}

/// Turns the error of a failed spawn into a [`RunError`] naming the program.
///
/// `spawn` reports a missing program as [`io::ErrorKind::NotFound`], but a
/// missing *working directory* gives the same error kind; we look before we
/// blame the program.
pub fn spawn_error(command: &Command, source: io::Error) -> RunError {
    let program = program_name(command);
    let missing_dir = command
        .get_current_dir()
        .is_some_and(|dir| !Path::new(dir).is_dir());
    if source.kind() == io::ErrorKind::NotFound && !missing_dir {
        RunError::NotFound { program }
    } else {
        RunError::Spawn { program, source }
    }
}

/// Checks a finished child's output: success passes it through, anything
/// else becomes [`RunError::Failed`] carrying the status and the stderr.
pub fn check(program: &str, output: Output) -> Result<Output, RunError> {
    if output.status.success() {
        Ok(output)
    } else {
        Err(RunError::Failed {
            program: program.to_owned(),
            status: output.status,
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        })
    }
}

/// Runs `command` to completion with its output captured, and fails unless it
/// exited with code 0 — `subprocess.run(..., capture_output=True)` followed by
/// `check_returncode()`.
///
/// The child's standard input is closed (`/dev/null`): a child that tries to
/// read it sees end-of-file at once instead of waiting on our terminal.
///
/// ```
/// use std::process::Command;
///
/// let output = bw52_subprocess::run(Command::new("echo").arg("Hello from the child!"))?;
/// assert_eq!(output.stdout, b"Hello from the child!\n");
/// # Ok::<(), bw52_subprocess::RunError>(())
/// ```
pub fn run(command: &mut Command) -> Result<Output, RunError> {
    let program = program_name(command);
    // `spawn` then `wait_with_output`, which is what `Command::output` does,
    // written out so that the child's span starts once there is a child.
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| spawn_error(command, e))?;
    let span = child_span(Some(&program));
    // `wait_with_output` reads stdout and stderr together (it cannot deadlock
    // on a child that fills one pipe while we read the other) and then reaps
    // the child: nothing is left behind whatever happens next.
    let output = child.wait_with_output().map_err(|source| RunError::Io {
        program: program.clone(),
        source,
    })?;
    drop(span);
    check(&program, output)
}

/// [`run`], with standard output decoded as text. Where the book's
/// `encoding='utf-8'` would raise on invalid UTF-8, this replaces it with `�`.
pub fn run_text(command: &mut Command) -> Result<String, RunError> {
    let output = run(command)?;
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
