//! What both fan-out strategies share: how a cell's thread is started, what
//! happens when it cannot be, and how every thread is joined (fan-in).

use std::io;
use std::sync::Arc;
use std::thread;

use bw56_life::SimulationError;
use course_support::InFlight;

/// How the fan-out strategies start their cell threads: the stack size to ask
/// for, and an optional gauge counting the cell threads alive.
///
/// The default asks for Rust's default stack (2 MiB of address space, of
/// which only the pages a thread touches become resident) and counts nothing.
#[derive(Clone, Debug, Default)]
pub struct CellThreads {
    /// Stack size requested for each cell thread; `None` keeps std's default.
    stack_size: Option<usize>,
    /// Entered by every cell thread for as long as it runs, so its peak is the
    /// most threads alive at once and its current value, after a generation,
    /// proves none was left running.
    gauge: Option<Arc<InFlight>>,
}

impl CellThreads {
    /// Cell threads with std's default stack and no gauge.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks for `bytes` of stack for every cell thread. The operating system
    /// may refuse a size it cannot map; the strategies then report that as an
    /// error (see [`ThreadStartError`]) instead of panicking.
    pub fn with_stack_size(mut self, bytes: usize) -> Self {
        self.stack_size = Some(bytes);
        self
    }

    /// Counts every cell thread on `gauge` from the moment it starts running
    /// until it finishes (also when it panics: the count is a guard dropped
    /// while unwinding).
    pub fn with_gauge(mut self, gauge: Arc<InFlight>) -> Self {
        self.gauge = Some(gauge);
        self
    }

    /// The gauge the cell threads enter, if any.
    pub fn gauge(&self) -> Option<&Arc<InFlight>> {
        self.gauge.as_ref()
    }

    /// The stack size requested, if not std's default.
    pub fn stack_size(&self) -> Option<usize> {
        self.stack_size
    }

    /// A [`thread::Builder`] for the thread of cell `(y, x)`.
    ///
    /// `thread::spawn` and `Scope::spawn` panic when the OS refuses a thread;
    /// the builder's `spawn` and `spawn_scoped` return the refusal as an
    /// [`io::Error`] instead, which is what lets the strategies report it.
    /// The name shows up in panic messages ("thread 'cell(2,3)' panicked"),
    /// so a panic on stderr already names its cell.
    pub(crate) fn builder(&self, y: usize, x: usize) -> thread::Builder {
        let builder = thread::Builder::new().name(format!("cell({y},{x})"));
        match self.stack_size {
            Some(bytes) => builder.stack_size(bytes),
            None => builder,
        }
    }
}

/// The operating system refused to start the thread of a cell: the Rust side
/// of Python's `RuntimeError: can't start new thread`.
///
/// It reaches the caller inside a [`SimulationError`] naming the cell whose
/// thread could not start, as the I/O error of that cell (a refused thread is
/// an [`io::Error`] from the kernel, `EAGAIN` on Linux). Use
/// [`thread_start_failure`] to tell it apart from a failure of the cell's
/// own I/O.
#[derive(Debug, thiserror::Error)]
#[error("could not start a thread for the cell ({started} cell threads were already started)")]
pub struct ThreadStartError {
    /// How many cell threads of this generation had started before the
    /// refusal; all of them were joined before the error was returned.
    pub started: usize,
    /// The operating system's answer.
    #[source]
    pub source: io::Error,
}

/// The [`ThreadStartError`] inside `error`, if the cell failed because its
/// thread could not be started (rather than because its I/O failed or its
/// code panicked).
pub fn thread_start_failure(error: &SimulationError) -> Option<&ThreadStartError> {
    error.io_error()?.get_ref()?.downcast_ref()
}

/// Wraps a refused thread start for cell `(y, x)` as that cell's error.
pub(crate) fn start_failed(
    y: usize,
    x: usize,
    started: usize,
    source: io::Error,
) -> SimulationError {
    // Keep the kernel's error kind (WouldBlock for EAGAIN) on the outer error
    // so callers that only look at the kind still see what happened.
    let kind = source.kind();
    SimulationError::io(
        y,
        x,
        io::Error::new(kind, ThreadStartError { started, source }),
    )
}

/// Fan-in: consumes every `(y, x, join result)` and returns the values in
/// order, or the first error in row-major order.
///
/// Each item of `joined` is produced by calling `join` on a handle, so the
/// loop must run to the end even after an error: stopping early would leave
/// the remaining threads unjoined — still running, their results and panics
/// lost. That is why this is a plain loop and not `collect::<Result<..>>()`,
/// which stops at the first `Err`.
pub(crate) fn fan_in<T>(
    joined: impl IntoIterator<Item = (usize, usize, thread::Result<Result<T, SimulationError>>)>,
) -> Result<Vec<T>, SimulationError> {
    let mut values = Vec::new();
    let mut first_error = None;
    for (y, x, result) in joined {
        match result {
            Ok(Ok(value)) => values.push(value),
            // The cell's I/O failed: step_cell already named the cell.
            Ok(Err(error)) => {
                first_error.get_or_insert(error);
            }
            // The thread panicked: `join` hands us the panic payload, and
            // only we know which cell that thread was computing.
            Err(payload) => {
                first_error.get_or_insert_with(|| SimulationError::panicked(y, x, payload));
            }
        }
    }
    match first_error {
        Some(error) => Err(error),
        None => Ok(values),
    }
}
