//! # Item 52: use subprocess to manage child processes
//!
//! Start here: `examples/core.rs`, the item in one page. Run it with
//! `cargo run -p bw52-subprocess --example core`, break it with `-- --break`,
//! and read it; then run the demo (`cargo run -p bw52-subprocess`), then read
//! `src/` and `tests/`.
//!
//! *Effective Python*, 2nd ed., item 52 (자식프로세스를 관리하기 위해
//! subprocess를 사용하라). A program often needs another program: a compressor,
//! a hash, a converter. Running it as a **child process** gives real
//! parallelism for free — the child is a separate process on its own core, no
//! matter what the parent is — but brings duties: capture what it says, notice
//! when it fails, feed it without deadlocking, stop it when it takes too long,
//! and *reap* it when it ends. This crate does each of the book's steps with
//! [`std::process`], [`nix`] for signals and [`tokio::process`] for the async
//! form, using only coreutils and `sh`.
//!
//! It is a lesson about Unix processes — signals, zombies, `sh` — so the
//! library, its tests and its benchmarks exist only on Unix (this crate is
//! `cfg(unix)` as a whole). It runs alike on Linux and macOS; on Windows the
//! binary says it needs a Unix system and exits.
//!
//! ## What you'll see
//!
//! `cargo run -p bw52-subprocess` walks through seven steps, each checked
//! before it is printed:
//!
//! 1. [`run`] captures `echo`'s output; a failing child becomes
//!    [`RunError::Failed`] with its exit code and stderr; a missing program
//!    becomes [`RunError::NotFound`] naming it.
//! 2. [`poll_while_working`]: the parent keeps computing while a `sleep` child
//!    runs, asking [`ChildGuard::try_wait`] ("finished yet?") between pieces
//!    of work.
//! 3. [`run_sequentially`] vs [`run_in_parallel`]: ten `sleep 0.1` children
//!    take about 1 s one after another and about 0.1 s started together.
//! 4. [`pipe_through`] sends 8 MiB through `cat` and gets every byte back;
//!    [`write_then_read`], the naive order, blocks after a few hundred KiB and
//!    has to be rescued by a watchdog.
//! 5. [`Pipeline`]: `tr` (ROT13) piped into `sha256sum` (or `shasum -a 256`
//!    where there is no `sha256sum`, as on macOS), three chains at once,
//!    each digest equal to the one computed in-process; and `yes | head`,
//!    where `yes` dies of SIGPIPE because the parent closed its copy of the
//!    pipe.
//! 6. A dropped [`Child`](std::process::Child) keeps running, or stays a
//!    zombie, until someone reaps it ([`zombie`]); [`ChildGuard`] kills and
//!    reaps on drop. [`run_with_timeout`]: `sleep 10` with a 100 ms deadline
//!    ends "terminated by signal 15 (SIGTERM)"; a child that ignores SIGTERM
//!    is killed with SIGKILL after a grace period.
//! 7. [`run_bounded`]: twenty children through tokio, at most four at a
//!    time, the peak observed by an [`InFlight`](course_support::InFlight)
//!    gauge.
//!
//! ## Run it
//!
//! ```text
//! cargo run -p bw52-subprocess
//! cargo run -p bw52-subprocess -- --children 20 --sleep 50ms --stream-mib 32
//! cargo run -p bw52-subprocess -- --trace children.json   # a lane per child
//! cargo test -p bw52-subprocess
//! cargo bench -p bw52-subprocess
//! ```
//!
//! ## The key idea
//!
//! A child process is a resource with a lifecycle: **start → talk → end →
//! reap**. Starting returns at once, so many children run in parallel (start
//! them all, then wait). Talking goes through pipes, which are small buffers:
//! write and read at the same time, and close what you no longer use. Ending
//! is not guaranteed: put a deadline on it. Reaping is what frees the process
//! table entry; until then an ended child is a zombie. Every step here keeps
//! each child owned by something that reaps it — on success, on error, and
//! on panic.
//!
//! ## How Rust differs from the Python original
//!
//! - **Dropping a `Child` neither kills nor reaps it.** A running child keeps
//!   running after its handle is gone; an ended one stays a zombie until the
//!   parent exits. The demo shows both with the state `ps` would print
//!   ([`process_state`]). [`ChildGuard`] is the RAII answer: the owner of the
//!   guard owns the process, and dropping the guard kills and reaps it.
//!   (tokio's `Command::kill_on_drop` is the async counterpart.)
//! - **std's `wait` has no timeout** and `kill` only sends SIGKILL. The
//!   deadline comes from asking [`Child::try_wait`](std::process::Child::try_wait)
//!   again and again with short, growing pauses in between — as CPython's own
//!   `Popen.wait(timeout=...)` has long done on Unix; SIGTERM comes from
//!   [`nix::sys::signal::kill`].
//! - **Errors are typed.** Python raises `CalledProcessError`,
//!   `FileNotFoundError` or `TimeoutExpired`; here [`RunError`] names the
//!   program in every variant, and [`ExitStatus`](std::process::ExitStatus)
//!   keeps an exit code and a signal apart where Python folds both into
//!   `returncode` (`-15`).
//! - **No `communicate()`**: std's [`Child::wait_with_output`](std::process::Child::wait_with_output)
//!   reads stdout and stderr but does not write stdin. [`pipe_through`]
//!   writes from a scoped thread while the caller reads — the borrow checker
//!   lets the thread borrow the input, and the scope guarantees it is joined.
//! - **The pipe in a `Command`.** Handing a child's stdout to the next
//!   command moves our end *into* that [`Command`](std::process::Command); it
//!   is closed when the command is dropped, which [`Pipeline::spawn`] does at
//!   once — the book's `stdout.close()`.
//!
//! See also: [`std::process::Command`], [`std::process::Child`],
//! [`nix::sys::wait::waitpid`], [`tokio::process::Command`],
//! [`tokio::sync::Semaphore`].

// Signals, zombies and `sh` are Unix; on other systems the library is empty
// and the binary explains why.
#![cfg(unix)]

pub mod bounded;
pub mod capture;
pub mod chain;
pub mod guard;
pub mod parallel;
pub mod platform;
pub mod poll;
pub mod stream;
pub mod timeout;
pub mod zombie;

pub use bounded::run_bounded;
pub use capture::{RunError, describe_status, run, run_text};
pub use chain::{
    Pipeline, PipelineOutput, StageResult, caesar, encrypt_command, rot13, sha256_hex,
};
pub use guard::{ChildGuard, Termination, Watchdog};
pub use parallel::{run_in_parallel, run_sequentially, sleep_command, spawn_all, wait_all};
pub use platform::{ProcessStatus, process_status};
pub use poll::{PollReport, poll_while_working};
pub use stream::{NaiveOutcome, pipe_through, sample_data, write_then_read};
pub use timeout::{
    Deadline, Ending, TimedRun, run_with_timeout, spawn_ignoring_sigterm, wait_or_terminate,
};
pub use zombie::{Abandoned, ChildState, abandon, child_state, process_state};
