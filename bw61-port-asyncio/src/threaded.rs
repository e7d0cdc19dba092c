//! Before the port: blocking sockets and a thread per connection (the book's
//! `run_server`, `handle_connection` and `Client`).
//!
//! Every `read` and `write` here blocks its thread until the kernel is done,
//! so the server gives each connection a thread of its own. The game itself
//! is not here: a connection's thread reads a bounded line and asks
//! [`Connection::on_line`] what to do. Compare this file with
//! [`crate::asynchronous`], its port: the same functions in the same order.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};

use crate::client::{
    self, BOOK_GAMES, GameSpec, Judge, Outcome, PlayError, REQUESTS_PER_SESSION, SessionRecord,
    rounds_left,
};
use crate::platform;
use crate::protocol::{Command, Decision, LINE_READ_LIMIT};
use crate::server::{
    ACCEPT_BACKOFF, BACKLOG, Connection, ConnectionEnd, ConnectionId, READ_BUFFER, ServerOptions,
    Shared, Stats, StatsSnapshot, Step,
};

/// Every open connection's socket, by connection number, shared with the
/// thread serving it. Shutdown uses them to cut the sockets under the
/// threads blocked reading.
///
/// An `Arc`, not `TcpStream::try_clone`: a clone is a second descriptor
/// (`dup`), and a server holding 10,000 connections would need 20,000.
type OpenConnections = Mutex<HashMap<ConnectionId, Arc<TcpStream>>>;

/// A running threaded server: its accept loop has a thread, and so has every
/// connection. [`ServerHandle::shutdown`] (or dropping the handle) stops it
/// and joins all of them.
#[derive(Debug)]
pub struct ServerHandle {
    local_addr: SocketAddr,
    shared: Arc<Shared>,
    /// Set once at shutdown; the accept loop and the connections check it.
    stopping: Arc<AtomicBool>,
    open: Arc<OpenConnections>,
    /// The accept loop returns the connection threads still running, so
    /// shutdown can join them; `None` once stopped.
    accept_loop: Option<JoinHandle<Vec<JoinHandle<()>>>>,
}

impl ServerHandle {
    /// Binds `addr` (use port 0 for any free port) and starts accepting.
    pub fn start(addr: SocketAddr, options: ServerOptions) -> io::Result<Self> {
        let listener = bind(addr)?;
        let local_addr = listener.local_addr()?;
        let shared = Shared::new(options);
        let stopping = Arc::new(AtomicBool::new(false));
        let open = Arc::new(OpenConnections::default());
        let accept_loop = thread::Builder::new()
            .name(format!("{}/accept", local_addr.port()))
            .spawn({
                let (shared, stopping, open) = (
                    Arc::clone(&shared),
                    Arc::clone(&stopping),
                    Arc::clone(&open),
                );
                move || accept_loop(&listener, &shared, &stopping, &open)
            })?;
        Ok(ServerHandle {
            local_addr,
            shared,
            stopping,
            open,
            accept_loop: Some(accept_loop),
        })
    }

    /// The address the server listens on (with the real port if 0 was asked).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The server's statistics, live.
    pub fn stats(&self) -> &Stats {
        self.shared.stats()
    }

    /// Stops accepting, closes every open connection, joins every thread,
    /// and returns the final statistics.
    pub fn shutdown(mut self) -> io::Result<StatsSnapshot> {
        self.stop()?;
        Ok(self.shared.stats().snapshot())
    }

    fn stop(&mut self) -> io::Result<()> {
        let Some(accept_loop) = self.accept_loop.take() else {
            return Ok(());
        };
        // Nothing can interrupt a thread blocked in `accept` from outside (on
        // Linux shutting the listening socket down would, but not on macOS).
        // So the accept loop never blocks for long: it waits for a client at
        // most `platform::STOP_CHECK` (20 ms) at a time, and sees this flag
        // within that.
        self.stopping.store(true, Ordering::SeqCst);
        let workers = accept_loop
            .join()
            .map_err(|_| io::Error::other("the accept loop panicked"))?;
        // The accept loop has ended, so every connection it accepted is in
        // `open`. Shutting a socket down makes the blocked `read` on it return
        // end of stream (and a blocked `write` fail): every thread wakes up.
        for stream in lock(&self.open).values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        let panicked = workers
            .into_iter()
            .filter_map(|worker| worker.join().err())
            .count();
        if panicked > 0 {
            return Err(io::Error::other(format!(
                "{panicked} connection threads panicked"
            )));
        }
        Ok(())
    }
}

impl Drop for ServerHandle {
    /// A server dropped without [`ServerHandle::shutdown`] (say, by a failing
    /// test) still stops and joins its threads.
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// The book's `listener.bind(address)` and `listener.listen()`, with the
/// course's backlog where the system lets a program choose it (see
/// [`crate::platform`]). The listener is non-blocking: the accept loop waits
/// for clients with a timeout, so that it can notice a shutdown.
fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
    platform::bind(addr, BACKLOG)
}

/// The book's `run_server` loop: accept, start a thread, repeat.
fn accept_loop(
    listener: &TcpListener,
    shared: &Arc<Shared>,
    stopping: &Arc<AtomicBool>,
    open: &Arc<OpenConnections>,
) -> Vec<JoinHandle<()>> {
    let port = listener.local_addr().map_or(0, |addr| addr.port());
    let mut workers = Vec::new();
    let mut reap_at = 64;
    loop {
        if stopping.load(Ordering::SeqCst) {
            // A client still waiting in the backlog is refused when the
            // listener closes, as it would be by a server that has stopped.
            break;
        }
        // Wait for a client, but at most `platform::STOP_CHECK`, then look at the flag
        // again: the loop's only way to learn about a shutdown.
        if let Err(error) = platform::wait_for_connection(listener) {
            shared.accept_failed(&error);
            thread::sleep(ACCEPT_BACKOFF);
            continue;
        }
        let accepted = listener.accept().and_then(|(stream, peer)| {
            // The connection gets a thread of its own to block in; on macOS
            // and Windows it would inherit the listener's non-blocking mode.
            stream.set_nonblocking(false)?;
            Ok((stream, peer))
        });
        let stream = match accepted {
            Ok((stream, _peer)) => stream,
            // No client after all (the wait timed out): look at the flag.
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => continue,
            Err(error) => {
                shared.accept_failed(&error);
                thread::sleep(ACCEPT_BACKOFF);
                continue;
            }
        };
        let connection = shared.connection();
        let id = connection.id();
        // Register the socket before the thread exists, so that a shutdown
        // that finds the loop ended also finds this connection.
        let stream = Arc::new(stream);
        lock(open).insert(id, Arc::clone(&stream));
        let spawned = thread::Builder::new().name(format!("{port}/{id}")).spawn({
            let (shared, stopping, open) =
                (Arc::clone(shared), Arc::clone(stopping), Arc::clone(open));
            move || serve_connection(stream, connection, &shared, &stopping, &open)
        });
        match spawned {
            Ok(worker) => workers.push(worker),
            Err(error) => {
                // The closure, and with it the thread's `Arc` of the socket,
                // is gone; dropping the registry's closes the connection.
                lock(open).remove(&id);
                shared.accept_failed(&error);
            }
        }
        // Join the threads that have finished from time to time, so a server
        // that runs for days does not collect handles without bound.
        if workers.len() >= reap_at {
            workers = reap(workers);
            reap_at = (workers.len() * 2).max(64);
        }
    }
    workers
}

fn reap(workers: Vec<JoinHandle<()>>) -> Vec<JoinHandle<()>> {
    let (finished, running): (Vec<_>, Vec<_>) =
        workers.into_iter().partition(|worker| worker.is_finished());
    for worker in finished {
        // A panic has already been reported by the panic hook; the server goes on.
        let _ = worker.join();
    }
    running
}

/// The book's `handle_connection`, run on the connection's own thread.
fn serve_connection(
    stream: Arc<TcpStream>,
    mut connection: Connection,
    shared: &Shared,
    stopping: &AtomicBool,
    open: &OpenConnections,
) {
    let _open = shared.stats().connection_opened();
    let mut end = converse(&stream, &mut connection);
    if stopping.load(Ordering::SeqCst) && end != ConnectionEnd::Rejected {
        // Shutdown cut the socket; the read saw "end of stream", but it was
        // the server that left, not the client.
        end = ConnectionEnd::ShutDown;
    }
    shared.stats().record_end(end);
    // The socket closes when both `Arc`s are gone: the registry's, and `stream`.
    lock(open).remove(&connection.id());
}

/// Reads lines and answers them until the client leaves or misbehaves.
fn converse(stream: &TcpStream, connection: &mut Connection) -> ConnectionEnd {
    let mut reader = BufReader::with_capacity(READ_BUFFER, stream);
    let mut writer = stream;
    let mut line = Vec::new();
    loop {
        line.clear();
        // One line at most, and never more than LINE_READ_LIMIT bytes of it.
        if (&mut reader)
            .take(LINE_READ_LIMIT)
            .read_until(b'\n', &mut line)
            .is_err()
        {
            return ConnectionEnd::Failed;
        }
        match connection.on_line(&line) {
            Step::Reply(reply) => {
                if writer.write_all(reply.as_bytes()).is_err() {
                    return ConnectionEnd::Failed;
                }
            }
            Step::Quiet => {}
            Step::Reject(error) => {
                // Best effort: a client that has gone cannot hear it.
                let _ = writer.write_all(error.as_bytes());
                return ConnectionEnd::Rejected;
            }
            Step::End(end) => return end,
        }
    }
}

fn lock(open: &OpenConnections) -> MutexGuard<'_, HashMap<ConnectionId, Arc<TcpStream>>> {
    // Each update of the map is one call, so a poisoned map is still consistent.
    open.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The book's `Client`: a blocking connection that plays sessions.
#[derive(Debug)]
pub struct Client {
    /// The one socket: read through the buffer, written directly (`get_mut`).
    reader: BufReader<TcpStream>,
    /// The secret and the last distance while a session is open.
    judge: Option<Judge>,
}

impl Client {
    /// Connects to a server.
    pub fn connect(addr: SocketAddr) -> io::Result<Self> {
        Client::new(TcpStream::connect(addr)?)
    }

    /// Plays over an already connected socket.
    pub fn new(stream: TcpStream) -> io::Result<Self> {
        // `REPORT` and the next `NUMBER` are two small writes in a row; with
        // Nagle's algorithm the second would wait for the server's delayed
        // acknowledgement of the first (up to 40 ms on Linux).
        stream.set_nodelay(true)?;
        Ok(Client {
            reader: BufReader::with_capacity(READ_BUFFER, stream),
            judge: None,
        })
    }

    fn send(&mut self, command: Command) -> Result<(), PlayError> {
        self.reader
            .get_mut()
            .write_all(format!("{command}\n").as_bytes())?;
        Ok(())
    }

    fn receive(&mut self) -> Result<i64, PlayError> {
        let mut line = Vec::new();
        (&mut self.reader)
            .take(LINE_READ_LIMIT)
            .read_until(b'\n', &mut line)?;
        client::decode_reply(&line)
    }

    /// The book's `with client.session(lower, upper, secret):` — starts a
    /// session, runs `body`, and then sends `PARAMS 0 -1` whether `body`
    /// succeeded or not (the context manager's `finally:`).
    ///
    /// The body's error wins over a failure to send the reset: it is the one
    /// that explains what went wrong.
    pub fn session<T>(
        &mut self,
        spec: GameSpec,
        body: impl FnOnce(&mut Self) -> Result<T, PlayError>,
    ) -> Result<T, PlayError> {
        self.judge = Some(Judge::new(spec.secret));
        self.send(Command::Params {
            lower: spec.lower,
            upper: spec.upper,
        })?;
        let result = body(self);
        self.judge = None;
        let reset = self.send(Command::END_SESSION);
        result.and_then(|value| reset.map(|()| value))
    }

    /// Sends `NUMBER` and returns the server's guess.
    pub fn request_number(&mut self) -> Result<i64, PlayError> {
        self.send(Command::Number)?;
        self.receive()
    }

    /// The book's `report_outcome`: judges `number` and sends the `REPORT`.
    pub fn report_outcome(&mut self, number: i64) -> Result<Decision, PlayError> {
        let decision = self
            .judge
            .as_mut()
            .ok_or(PlayError::NoSession)?
            .judge(number);
        self.send(Command::Report(decision))?;
        Ok(decision)
    }

    /// One round of the game: `NUMBER`, the server's guess, and its `REPORT`.
    fn round(&mut self) -> Result<Outcome, PlayError> {
        let number = self.request_number()?;
        let decision = self.report_outcome(number)?;
        Ok(Outcome { number, decision })
    }

    /// The book's generator `request_numbers(count)`, as an [`Iterator`]: up
    /// to `count` rounds, each pulled by the loop that consumes it, ending
    /// after `Correct` or after the first error (the error is the last item).
    ///
    /// The book's generator yields the bare number, and the loop body calls
    /// `client.report_outcome(x)` while the generator is paused inside the
    /// same client. In Rust the iterator holds `&mut self` for as long as it
    /// lives, so the body cannot use the client as well; the report moves
    /// into the round, and each item is the book's `(x, outcome)` pair.
    ///
    /// ```compile_fail,E0499
    /// # fn body(client: &mut bw61_port_asyncio::threaded::Client)
    /// # -> Result<(), bw61_port_asyncio::client::PlayError> {
    /// for outcome in client.request_numbers(5) {
    ///     // error[E0499]: cannot borrow `*client` as mutable more than once:
    ///     // the iterator still holds it.
    ///     client.report_outcome(outcome?.number)?;
    /// }
    /// # Ok(()) }
    /// ```
    pub fn request_numbers(
        &mut self,
        count: usize,
    ) -> impl Iterator<Item = Result<Outcome, PlayError>> {
        let mut left = count;
        std::iter::from_fn(move || {
            if left == 0 {
                return None;
            }
            let outcome = self.round();
            left = rounds_left(left, &outcome);
            Some(outcome)
        })
    }

    /// Ends the connection and waits until the server has closed its end,
    /// like the book's `writer.close()` and `await writer.wait_closed()`.
    ///
    /// Closing only the sending half tells the server "no more commands";
    /// the server then finishes with the connection and closes it, and the
    /// read here returns end of stream. So when this returns, the server has
    /// counted the connection as closed.
    pub fn close(mut self) -> Result<(), PlayError> {
        self.reader.get_mut().shutdown(Shutdown::Write)?;
        let mut rest = Vec::new();
        (&mut self.reader)
            .take(LINE_READ_LIMIT)
            .read_to_end(&mut rest)?;
        Ok(())
    }
}

/// The book's `run_client`: both of [`BOOK_GAMES`] on one connection, the
/// first consumed like the book's list comprehension, the second like its
/// `for` loop.
pub fn run_client(addr: SocketAddr) -> Result<Vec<SessionRecord>, PlayError> {
    let mut client = Client::connect(addr)?;
    let [first, second] = BOOK_GAMES;
    // `[(x, client.report_outcome(x)) for x in client.request_numbers(5)]`
    let outcomes = client.session(first, |client| {
        client.request_numbers(REQUESTS_PER_SESSION).collect()
    })?;
    let mut records = vec![SessionRecord {
        spec: first,
        outcomes,
    }];
    // `for number in client.request_numbers(5): ...results.append(...)`
    let outcomes = client.session(second, |client| {
        let mut outcomes = Vec::new();
        for outcome in client.request_numbers(REQUESTS_PER_SESSION) {
            outcomes.push(outcome?);
        }
        Ok(outcomes)
    })?;
    records.push(SessionRecord {
        spec: second,
        outcomes,
    });
    client.close()?;
    Ok(records)
}
