//! What both servers share: options, statistics, and the per-connection logic
//! that turns one line read into one thing to do.
//!
//! A transport's connection loop is then only: read a bounded line, call
//! [`Connection::on_line`], act on the [`Step`]. Everything that decides —
//! parsing, the game, which error to send, whether a disconnect abandoned a
//! session — lives here, so the threaded server and the async server cannot
//! drift apart.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use course_support::{InFlight, InFlightGuard};

use crate::protocol::{self, Command, Decision, Line};
use crate::session::{self, Event, Session};

/// The listen backlog both servers ask for: how many connections the kernel
/// keeps ready for `accept` before it starts dropping new ones.
///
/// std's `TcpListener::bind` asks for 128 and tokio's `TcpListener::bind` for
/// 1024. A burst of thousands of clients overflows those, and an overflowing
/// queue drops handshakes that the client retries only a second later. Linux
/// caps the value at `net.core.somaxconn` (4096 by default since 5.4).
pub const BACKLOG: u32 = 4096;

/// The read buffer of each connection, in bytes, on both sides.
///
/// `BufReader`'s default is 8 KiB. A line here is at most 1 KiB, and with
/// 10,000 connections open those buffers would be most of a server's memory,
/// hiding the difference between a thread and a task that this lesson
/// measures; 2 KiB holds any line with room to spare.
pub const READ_BUFFER: usize = 2048;

/// How long an accept loop pauses after `accept` fails (for instance with
/// `EMFILE`, out of descriptors). Retrying at once would spin: the error
/// repeats until a connection closes.
pub const ACCEPT_BACKOFF: Duration = Duration::from_millis(10);

/// Numbers a connection is known by, in accept order from 0.
pub type ConnectionId = u64;

/// A callback told about every [`Event`] of every connection. It runs on the
/// connection's thread or task, so it must be quick and must not block.
pub type EventSink = Arc<dyn Fn(ConnectionId, &Event) + Send + Sync>;

/// A callback told about every failed `accept` (or a connection the server
/// could not start serving), with the number of failures so far. It runs on
/// the accept loop, so it must be quick.
pub type AcceptErrorSink = Arc<dyn Fn(&std::io::Error, u64) + Send + Sync>;

/// How a server plays.
#[derive(Clone, Default)]
pub struct ServerOptions {
    /// Seeds the guesses; two servers with the same seed play the same games
    /// on their connections of the same number.
    pub seed: u64,
    /// Told about every event, if set (the demo records the book's
    /// `Server: 4 is Unsure` lines with it; `serve` prints them).
    pub events: Option<EventSink>,
    /// Told about every failed `accept`, if set (`serve` logs them).
    pub accept_errors: Option<AcceptErrorSink>,
}

impl ServerOptions {
    /// Options with `seed` and no observer.
    pub fn seeded(seed: u64) -> Self {
        ServerOptions {
            seed,
            events: None,
            accept_errors: None,
        }
    }

    /// The same options, telling `sink` about every event.
    pub fn with_events(
        mut self,
        sink: impl Fn(ConnectionId, &Event) + Send + Sync + 'static,
    ) -> Self {
        self.events = Some(Arc::new(sink));
        self
    }

    /// The same options, telling `sink` about every failed `accept`.
    pub fn with_accept_errors(
        mut self,
        sink: impl Fn(&std::io::Error, u64) + Send + Sync + 'static,
    ) -> Self {
        self.accept_errors = Some(Arc::new(sink));
        self
    }
}

impl fmt::Debug for ServerOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerOptions")
            .field("seed", &self.seed)
            .field("events", &self.events.as_ref().map(|_| "Fn"))
            .field("accept_errors", &self.accept_errors.as_ref().map(|_| "Fn"))
            .finish()
    }
}

/// How a connection ended, as the server saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectionEnd {
    /// The client closed between sessions (or before starting one).
    Closed,
    /// The client closed in the middle of a session or of a line.
    Abandoned,
    /// The client sent bad input; the server answered `ERROR` and closed.
    Rejected,
    /// Reading or writing failed (for instance, the client reset the connection).
    Failed,
    /// The server was shut down while the connection was open.
    ShutDown,
}

/// Counts of what a server did; see [`Stats::snapshot`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatsSnapshot {
    /// Connections accepted.
    pub accepted: u64,
    /// Sessions begun with a non-empty `PARAMS`.
    pub sessions_started: u64,
    /// Sessions in which the client reported a guess `Correct`.
    pub sessions_solved: u64,
    /// Connections that ended [`ConnectionEnd::Closed`].
    pub closed: u64,
    /// Connections that ended [`ConnectionEnd::Abandoned`].
    pub abandoned: u64,
    /// Connections that ended [`ConnectionEnd::Rejected`].
    pub rejected: u64,
    /// Connections that ended [`ConnectionEnd::Failed`].
    pub failed: u64,
    /// Connections that ended [`ConnectionEnd::ShutDown`].
    pub shut_down: u64,
    /// Failed calls to `accept`.
    pub accept_errors: u64,
    /// The most connections open at the same time.
    pub peak_open: usize,
}

impl StatsSnapshot {
    /// Connections that have ended, however they ended.
    pub fn ended(&self) -> u64 {
        self.closed + self.abandoned + self.rejected + self.failed + self.shut_down
    }
}

/// A server's statistics, shared by its accept loop and every connection.
///
/// A `std::sync::Mutex`, not tokio's, guards the counts even in the async
/// server: nothing is awaited while it is held, and it is taken a few times
/// per session, never per byte.
#[derive(Debug, Default)]
pub struct Stats {
    counts: Mutex<StatsSnapshot>,
    /// Signalled whenever a connection ends, for [`Stats::wait_for_ended`].
    ended: Condvar,
    /// Connections open now and at most; the peak is the instrumented proof
    /// of how many sessions a server really held at once.
    open: InFlight,
}

impl Stats {
    /// The counts now.
    pub fn snapshot(&self) -> StatsSnapshot {
        let mut counts = *self.lock();
        counts.peak_open = self.open.peak();
        counts
    }

    /// Connections open right now.
    pub fn open_now(&self) -> usize {
        self.open.current()
    }

    /// Blocks until at least `count` connections have ended or `timeout`
    /// passes, and returns the counts (check [`StatsSnapshot::ended`]).
    ///
    /// A client cannot see when the server has finished with a connection it
    /// closed; tests and the load runner wait here instead of sleeping. It
    /// blocks the calling thread, so call it from synchronous code only.
    pub fn wait_for_ended(&self, count: u64, timeout: Duration) -> StatsSnapshot {
        let guard = self.lock();
        let (mut counts, _) = self
            .ended
            .wait_timeout_while(guard, timeout, |counts| counts.ended() < count)
            .unwrap_or_else(PoisonError::into_inner);
        counts.peak_open = self.open.peak();
        *counts
    }

    pub(crate) fn connection_opened(&self) -> InFlightGuard<'_> {
        self.lock().accepted += 1;
        self.open.enter()
    }

    pub(crate) fn record_end(&self, end: ConnectionEnd) {
        let mut counts = self.lock();
        match end {
            ConnectionEnd::Closed => counts.closed += 1,
            ConnectionEnd::Abandoned => counts.abandoned += 1,
            ConnectionEnd::Rejected => counts.rejected += 1,
            ConnectionEnd::Failed => counts.failed += 1,
            ConnectionEnd::ShutDown => counts.shut_down += 1,
        }
        drop(counts);
        self.ended.notify_all();
    }

    fn accept_failed(&self) -> u64 {
        let mut counts = self.lock();
        counts.accept_errors += 1;
        counts.accept_errors
    }

    fn lock(&self) -> MutexGuard<'_, StatsSnapshot> {
        // A panic elsewhere cannot leave the counts half-updated (each update
        // is one statement), so a poisoned lock is still safe to read.
        self.counts.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// State one server shares with all its connections.
#[derive(Debug)]
pub struct Shared {
    options: ServerOptions,
    stats: Stats,
    next_id: AtomicU64,
}

impl Shared {
    /// Shared state for a server with `options`.
    pub fn new(options: ServerOptions) -> Arc<Self> {
        Arc::new(Shared {
            options,
            stats: Stats::default(),
            next_id: AtomicU64::new(0),
        })
    }

    /// The server's statistics.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Counts a failed `accept` and tells the observer, if any.
    pub fn accept_failed(&self, error: &std::io::Error) {
        let failures = self.stats.accept_failed();
        if let Some(sink) = &self.options.accept_errors {
            sink(error, failures);
        }
    }

    /// Starts the game logic of a newly accepted connection.
    pub fn connection(self: &Arc<Self>) -> Connection {
        // Relaxed is enough: the number only has to be unique.
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        Connection {
            id,
            session: Session::new(session::connection_seed(self.options.seed, id)),
            shared: Arc::clone(self),
            // Created here, on the accept loop, and closed when the transport
            // drops the connection: the span covers the connection's whole
            // life on either server, whichever thread or task serves it.
            span: tracing::info_span!("connection", id, lane = %format!("connection {id}")),
        }
    }
}

/// What a transport does after one read.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// Send this line and read the next.
    Reply(String),
    /// Send nothing and read the next line.
    Quiet,
    /// Send this `ERROR` line, then close the connection.
    Reject(String),
    /// The client has gone; close the connection.
    End(ConnectionEnd),
}

/// The transport-independent half of one connection.
#[derive(Debug)]
pub struct Connection {
    id: ConnectionId,
    session: Session,
    shared: Arc<Shared>,
    /// The `connection` span, open from accept until the transport drops
    /// this value; each line handled is a `request` span inside it. A trace
    /// (`--trace`) draws a lane per connection from them.
    span: tracing::Span,
}

impl Connection {
    /// This connection's number.
    pub fn id(&self) -> ConnectionId {
        self.id
    }

    /// The server's statistics.
    pub fn stats(&self) -> &Stats {
        &self.shared.stats
    }

    /// Decides what to do with the bytes one bounded line read returned
    /// (see [`protocol::decode_line`]).
    pub fn on_line(&mut self, bytes: &[u8]) -> Step {
        // The server's work on one line, on the connection's lane: the gaps
        // between these spans are the connection waiting for its client.
        let _request = tracing::info_span!(parent: &self.span, "request").entered();
        let known_before = self.session.secret().is_some();
        let handled = protocol::decode_line(bytes).and_then(|line| match line {
            Line::Complete(text) => self.session.handle(Command::parse(text)?).map(Some),
            Line::Eof | Line::Truncated => Ok(None),
        });
        match handled {
            Ok(Some(handled)) => {
                self.observe(&handled.event, known_before);
                match handled.reply {
                    Some(number) => Step::Reply(protocol::number_line(number)),
                    None => Step::Quiet,
                }
            }
            // End of stream: the client left. Whether that abandoned a game
            // depends on the session, and on whether it left mid-line.
            Ok(None) => Step::End(
                if self.session.in_progress() || bytes.last().is_some_and(|&b| b != b'\n') {
                    ConnectionEnd::Abandoned
                } else {
                    ConnectionEnd::Closed
                },
            ),
            Err(error) => Step::Reject(protocol::error_line(&error)),
        }
    }

    /// Counts the event and tells the server's observer. `known_before` says
    /// whether the secret was already known, so a session that reports
    /// `Correct` twice is still solved once.
    fn observe(&self, event: &Event, known_before: bool) {
        match event {
            Event::Started { .. } => self.shared.stats.lock().sessions_started += 1,
            Event::Reported {
                decision: Decision::Correct,
                ..
            } if !known_before => self.shared.stats.lock().sessions_solved += 1,
            _ => {}
        }
        if let Some(sink) = &self.shared.options.events {
            sink(self.id, event);
        }
    }
}
