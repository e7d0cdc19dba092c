//! Many clients at once: thousands of concurrent sessions against one server.
//!
//! The book's claim for coroutines is that they scale where threads do not.
//! This module tests it on real sockets: [`play_concurrently`] opens
//! `sessions` connections, holds **all of them open at the same time**, and
//! plays a game on each to `Correct`; [`measure`] runs that client in a child
//! process against a server in this one and reports sessions per second and
//! the server's peak memory.
//!
//! Three details decide whether 10,000 loopback sessions work at all:
//!
//! - **Descriptors.** Each session is a socket on each side. One process
//!   holding both ends of 10,000 connections needs 20,000 descriptors, more
//!   than many machines allow (`ulimit -Hn`), so the client runs in a child
//!   process and each side raises its own soft limit up to the hard one
//!   ([`raise_open_file_limit`]; Windows has no such limit). That also keeps
//!   the client's memory out of the server's peak.
//! - **The listen backlog.** Connections wait in the kernel until `accept`
//!   takes them; when the queue is full the kernel drops new handshakes and
//!   the client retries only after a second. Both servers listen with
//!   [`BACKLOG`](crate::server::BACKLOG) = 4096 (the system lowers it to its
//!   `SOMAXCONN`: 128 on macOS), and the client keeps at
//!   most [`LoadPlan::connects_in_flight`] handshakes going at once, a
//!   semaphore that limits *connecting*, not being connected.
//! - **Ephemeral ports.** Every client socket takes a local port from
//!   `net.ipv4.ip_local_port_range` (28,232 ports by default) and keeps it in
//!   TIME_WAIT for a minute after closing; 10,000 at once fit, and Linux
//!   reuses TIME_WAIT ports for new loopback connections (`tcp_tw_reuse=2`).

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use course_support::{InFlight, memory};
use futures::TryStreamExt;
use tokio::net::TcpStream;
use tokio::sync::{Barrier, Semaphore};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use crate::asynchronous::Client;
use crate::background::{BackgroundServer, Transport};
use crate::client::{GameSpec, Outcome, PlayError, REQUESTS_PER_SESSION};
use crate::platform;
use crate::protocol::Decision;
use crate::server::{ServerOptions, StatsSnapshot};

/// Descriptors a process needs besides one per session: standard streams,
/// the runtime's epoll and wake-up descriptors, the listener, pipes.
pub const FD_MARGIN: u64 = 64;

/// How long the server may take to see the last client leave after the
/// client process has exited.
const SETTLE_TIMEOUT: Duration = Duration::from_secs(10);

/// How often a running client process is checked on.
const CHILD_CHECK: Duration = Duration::from_millis(10);

/// How much longer than its own deadline a client process may run before it
/// is killed.
pub const CHILD_GRACE: Duration = Duration::from_secs(10);

/// What a load run does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadPlan {
    /// Sessions, each on its own connection, all open at once.
    pub sessions: usize,
    /// Connection handshakes in flight at most (the rest wait their turn).
    pub connects_in_flight: usize,
    /// The whole run must end within this time, or it fails.
    pub deadline: Duration,
}

impl LoadPlan {
    /// `sessions` sessions, 256 handshakes at a time (fewer where the
    /// listen backlog is shorter: 128 on macOS), one minute at most.
    pub fn new(sessions: usize) -> Self {
        LoadPlan {
            sessions,
            connects_in_flight: 256.min(platform::listen_backlog()),
            deadline: Duration::from_secs(60),
        }
    }
}

/// The game of load session number `index`: a range of five numbers, so five
/// distinct guesses always find the secret.
pub fn load_game(index: usize) -> GameSpec {
    let lower = (index % 1000) as i64 * 10;
    GameSpec {
        lower,
        upper: lower + 4,
        secret: lower + (index % 5) as i64,
    }
}

/// What the client side of a load run saw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadReport {
    /// Sessions played.
    pub sessions: usize,
    /// Sessions whose last guess was `Correct`.
    pub solved: usize,
    /// The most connections the client held open at once.
    pub peak_open: usize,
    /// From the first connect to the last session's end.
    pub elapsed: Duration,
}

impl LoadReport {
    /// Sessions per second over the whole run.
    pub fn sessions_per_sec(&self) -> f64 {
        self.sessions as f64 / self.elapsed.as_secs_f64()
    }
}

impl fmt::Display for LoadReport {
    /// The one line a client process prints for its parent to read.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "load-report sessions={} solved={} peak_open={} elapsed_us={}",
            self.sessions,
            self.solved,
            self.peak_open,
            self.elapsed.as_micros()
        )
    }
}

impl FromStr for LoadReport {
    type Err = LoadError;

    fn from_str(line: &str) -> Result<Self, Self::Err> {
        let bad = || LoadError::BadReport(line.to_owned());
        let fields = line.strip_prefix("load-report ").ok_or_else(bad)?;
        let value = |key: &str| -> Result<u64, LoadError> {
            fields
                .split(' ')
                .find_map(|field| field.strip_prefix(key)?.strip_prefix('='))
                .and_then(|text| text.parse().ok())
                .ok_or_else(bad)
        };
        Ok(LoadReport {
            sessions: value("sessions")? as usize,
            solved: value("solved")? as usize,
            peak_open: value("peak_open")? as usize,
            elapsed: Duration::from_micros(value("elapsed_us")?),
        })
    }
}

/// Why a load run failed.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A system call failed.
    #[error("{0}")]
    Io(io::Error),
    /// The hard limit on open files is below what the run needs.
    #[error(
        "{needed} open files are needed but the hard limit is {hard}; \
         raise it (ulimit -Hn, or LimitNOFILE for a service) or run fewer sessions"
    )]
    FileLimit {
        /// Descriptors the run needs.
        needed: u64,
        /// The process's hard limit.
        hard: u64,
    },
    /// A session failed; the others were told to stop.
    #[error("session {index} failed: {error}")]
    Session {
        /// The session's number.
        index: usize,
        /// What went wrong.
        error: PlayError,
    },
    /// The run did not finish in time.
    #[error(
        "the load did not finish within {deadline:?}: {solved} of {sessions} sessions were solved"
    )]
    Deadline {
        /// The deadline.
        deadline: Duration,
        /// Sessions solved by then.
        solved: usize,
        /// Sessions planned.
        sessions: usize,
    },
    /// The client process failed.
    #[error("the load client exited with {status}: {stderr}")]
    Child {
        /// Its exit status.
        status: ExitStatus,
        /// What it wrote to stderr.
        stderr: String,
    },
    /// The client process ran past its deadline and was killed.
    #[error("the load client ran past its deadline of {0:?} and was killed")]
    ChildTimedOut(Duration),
    /// The client process printed no report line.
    #[error("the load client printed no report line; its output was {0:?}")]
    BadReport(String),
    /// The run finished, but not every session was played to `Correct`.
    #[error("the load run is wrong: {0}")]
    Unverified(String),
}

impl From<io::Error> for LoadError {
    fn from(error: io::Error) -> Self {
        LoadError::Io(error)
    }
}

/// Raises this process's soft limit on open files up to the hard limit if
/// `needed` descriptors do not fit under it; returns the soft limit in force,
/// or `None` where the system has no such limit (Windows).
pub fn raise_open_file_limit(needed: u64) -> Result<Option<u64>, LoadError> {
    let Some((soft, hard)) = platform::open_file_limits()? else {
        return Ok(None);
    };
    if soft >= needed {
        return Ok(Some(soft));
    }
    if hard < needed {
        return Err(LoadError::FileLimit { needed, hard });
    }
    // An unlimited hard limit is capped by the kernel, possibly below `needed`.
    match raise_open_file_limit_to_hard()? {
        Some(raised) if raised < needed => Err(LoadError::FileLimit {
            needed,
            hard: raised,
        }),
        raised => Ok(raised),
    }
}

/// Raises this process's soft limit on open files to the hard limit (what a
/// server does at start; it needs no privilege); returns the new soft limit,
/// or `None` where the system has no such limit (Windows).
pub fn raise_open_file_limit_to_hard() -> Result<Option<u64>, LoadError> {
    if platform::open_file_limits()?.is_none() {
        return Ok(None);
    }
    Ok(Some(platform::raise_soft_file_limit()?))
}

/// Plays `plan.sessions` sessions against `addr`, all open at once, each to
/// `Correct`. Runs inside a tokio runtime.
pub async fn play_concurrently(addr: SocketAddr, plan: &LoadPlan) -> Result<LoadReport, LoadError> {
    let start = Instant::now();
    let shared = Arc::new(LoadShared {
        addr,
        connects: Semaphore::new(plan.connects_in_flight.max(1)),
        gate: Barrier::new(plan.sessions),
        abort: CancellationToken::new(),
        open: InFlight::new(),
        solved: AtomicUsize::new(0),
    });
    let mut sessions = JoinSet::new();
    for index in 0..plan.sessions {
        sessions.spawn(play_one(Arc::clone(&shared), index));
    }
    let collect = async {
        let mut first_error: Option<LoadError> = None;
        while let Some(joined) = sessions.join_next().await {
            let error = match joined {
                Ok(Ok(())) => continue,
                Ok(Err(error)) => error,
                Err(join_error) => LoadError::Io(io::Error::other(join_error)),
            };
            // Sessions stopped because another failed report `Aborted`; the
            // failure worth showing is the first one that is not.
            let aborted = |e: &LoadError| {
                matches!(
                    e,
                    LoadError::Session {
                        error: PlayError::Aborted(_),
                        ..
                    }
                )
            };
            if first_error
                .as_ref()
                .is_none_or(|kept| aborted(kept) && !aborted(&error))
            {
                first_error = Some(error);
            }
        }
        first_error
    };
    match tokio::time::timeout(plan.deadline, collect).await {
        Ok(Some(error)) => Err(error),
        Ok(None) => Ok(LoadReport {
            sessions: plan.sessions,
            solved: shared.solved.load(Ordering::SeqCst),
            peak_open: shared.open.peak(),
            elapsed: start.elapsed(),
        }),
        // Dropping `collect` dropped the JoinSet, which aborts every session.
        Err(_) => Err(LoadError::Deadline {
            deadline: plan.deadline,
            solved: shared.solved.load(Ordering::SeqCst),
            sessions: plan.sessions,
        }),
    }
}

/// What every session of one load run shares.
struct LoadShared {
    addr: SocketAddr,
    /// Limits handshakes in flight; a session gives its permit back as soon
    /// as it is connected.
    connects: Semaphore,
    /// Every session waits here after its first guess, so all of them are
    /// open at the same moment.
    gate: Barrier,
    /// Cancelled when a session fails, so the others stop waiting at the gate.
    abort: CancellationToken,
    /// Client connections open now and at most.
    open: InFlight,
    solved: AtomicUsize,
}

async fn play_one(shared: Arc<LoadShared>, index: usize) -> Result<(), LoadError> {
    // A span per client session, so a trace of `load` has a lane per session.
    let session = tracing::info_span!("session", index, lane = %format!("session {index}"));
    let result = play_one_session(&shared, index).instrument(session).await;
    if result.is_err() {
        shared.abort.cancel();
    }
    result.map_err(|error| LoadError::Session { index, error })
}

async fn play_one_session(shared: &LoadShared, index: usize) -> Result<(), PlayError> {
    let permit = shared
        .connects
        .acquire()
        .await
        .map_err(|_| PlayError::Aborted("the connect semaphore was closed".to_owned()))?;
    let stream = TcpStream::connect(shared.addr).await?;
    drop(permit);
    let _open = shared.open.enter();
    let mut client = Client::new(stream)?;
    let outcomes = client
        .session(load_game(index), async |client| {
            // The server's first guess proves it has accepted this connection
            // and holds its session, so the server too has them all at once.
            let first = client.request_number().await?;
            tokio::select! {
                _ = shared.gate.wait() => {}
                () = shared.abort.cancelled() => {
                    return Err(PlayError::Aborted("another session failed".to_owned()));
                }
            }
            let decision = client.report_outcome(first).await?;
            let mut outcomes = vec![Outcome {
                number: first,
                decision,
            }];
            if decision != Decision::Correct {
                outcomes.extend(
                    client
                        .request_numbers(REQUESTS_PER_SESSION - 1)
                        .try_collect::<Vec<_>>()
                        .await?,
                );
            }
            Ok(outcomes)
        })
        .await?;
    // Waiting for the server to close its end means the server has counted
    // this session before the client process reports it.
    client.close().await?;
    if outcomes
        .last()
        .is_some_and(|o| o.decision == Decision::Correct)
    {
        shared.solved.fetch_add(1, Ordering::SeqCst);
    }
    Ok(())
}

/// [`play_concurrently`] from synchronous code, on a runtime of its own: what
/// the `load` subcommand runs.
pub fn run_load_client(addr: SocketAddr, plan: &LoadPlan) -> Result<LoadReport, LoadError> {
    raise_open_file_limit(plan.sessions as u64 + FD_MARGIN)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(play_concurrently(addr, plan))
}

/// Runs `client_exe load ...` (this crate's binary) against `addr` and reads
/// its report. The child is killed if it outlives its deadline by
/// [`CHILD_GRACE`], and always reaped.
pub fn run_client_process(
    client_exe: &Path,
    addr: SocketAddr,
    plan: &LoadPlan,
) -> Result<LoadReport, LoadError> {
    let mut child = Command::new(client_exe)
        .arg("load")
        .args(["--host", &addr.ip().to_string()])
        .args(["--port", &addr.port().to_string()])
        .args(["--sessions", &plan.sessions.to_string()])
        .args(["--connects", &plan.connects_in_flight.to_string()])
        .args(["--deadline", &format!("{}ms", plan.deadline.as_millis())])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot start {}: {e}", client_exe.display()),
            )
        })?;
    // std's `wait` has no timeout. The pipes are drained by threads (a child
    // blocked on a full pipe would never exit), and this thread checks on the
    // child until it exits or its time is up.
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let limit = plan.deadline + CHILD_GRACE;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > limit {
            // Killing closes the child's pipes, so the drains end too, and
            // waiting reaps it: no zombie is left.
            let _ = child.kill();
            let _ = child.wait();
            let _ = (stdout.join(), stderr.join());
            return Err(LoadError::ChildTimedOut(limit));
        }
        thread::sleep(CHILD_CHECK);
    };
    let joined = |drain: thread::JoinHandle<Vec<u8>>| {
        drain
            .join()
            .map_err(|_| io::Error::other("a pipe reader panicked"))
    };
    let output = std::process::Output {
        status,
        stdout: joined(stdout)?,
        stderr: joined(stderr)?,
    };
    if !output.status.success() {
        return Err(LoadError::Child {
            status: output.status,
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        });
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout
        .lines()
        .find(|line| line.starts_with("load-report "))
        .ok_or_else(|| LoadError::BadReport(stdout.trim().to_owned()))?
        .parse()
}

/// Reads `pipe` to its end on a thread of its own.
fn drain(pipe: Option<impl io::Read + Send + 'static>) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            // A read error ends the output early; the exit status still says
            // how the child fared.
            let _ = pipe.read_to_end(&mut bytes);
        }
        bytes
    })
}

/// One load run, as both sides saw it.
#[derive(Clone, Copy, Debug)]
pub struct Measurement {
    /// The server's transport.
    pub transport: Transport,
    /// What the client process reported.
    pub report: LoadReport,
    /// The server's final statistics.
    pub server: StatsSnapshot,
    /// The server process's resident memory before the clients came, KiB;
    /// `None` where the system gives no memory figures (Windows).
    pub baseline_kib: Option<u64>,
    /// How far its peak resident memory rose above that during the run,
    /// KiB; `None` where that cannot be known (see
    /// [`course_support::memory::Phase`]).
    pub peak_growth_kib: Option<u64>,
}

impl Measurement {
    /// The server's memory growth at its peak, KiB, if known.
    pub fn extra_kib(&self) -> Option<u64> {
        self.peak_growth_kib
    }

    /// [`Measurement::extra_kib`] per session, if known.
    pub fn kib_per_session(&self) -> Option<f64> {
        self.extra_kib()
            .map(|kib| kib as f64 / self.report.sessions.max(1) as f64)
    }

    /// Checks that every session was held open at once and played to
    /// `Correct`, on both sides, and that no connection ended badly.
    pub fn verify(&self) -> Result<(), LoadError> {
        let n = self.report.sessions;
        let s = &self.server;
        let checks = [
            (
                "sessions solved (client)",
                self.report.solved as u64,
                n as u64,
            ),
            ("sessions solved (server)", s.sessions_solved, n as u64),
            ("connections closed cleanly", s.closed, n as u64),
            (
                "connections open at once (server)",
                s.peak_open as u64,
                n as u64,
            ),
            (
                "connections open at once (client)",
                self.report.peak_open as u64,
                n as u64,
            ),
            (
                "connections rejected, failed or abandoned",
                s.rejected + s.failed + s.abandoned,
                0,
            ),
        ];
        for (what, got, expected) in checks {
            if got != expected {
                return Err(LoadError::Unverified(format!(
                    "{what}: {got}, expected {expected} ({} server, {n} sessions)",
                    self.transport
                )));
            }
        }
        Ok(())
    }
}

/// Starts a server of `transport` here, runs the load client as a child
/// process (`client_exe`, this crate's binary), and measures both.
///
/// The server's memory is this process's: its peak is measured from the
/// moment the server is listening, so [`Measurement::extra_kib`] is what the
/// sessions cost.
pub fn measure(
    transport: Transport,
    plan: &LoadPlan,
    client_exe: &Path,
) -> Result<Measurement, LoadError> {
    raise_open_file_limit(plan.sessions as u64 + FD_MARGIN)?;
    let server = BackgroundServer::start_local(transport, ServerOptions::seeded(61))?;
    let phase = memory::Phase::start_if_available()?;
    let report = run_client_process(client_exe, server.local_addr(), plan)?;
    let peak_growth_kib = match phase {
        Some(phase) => phase.peak_growth_kib()?,
        None => None,
    };
    // The client has closed every connection; the server may still be
    // reading the last ends of stream. Wait for them, without sleeping.
    server
        .stats()
        .wait_for_ended(plan.sessions as u64, SETTLE_TIMEOUT);
    let server_stats = server.shutdown()?;
    Ok(Measurement {
        transport,
        report,
        server: server_stats,
        baseline_kib: phase.map(|phase| phase.before_kib()),
        peak_growth_kib,
    })
}
