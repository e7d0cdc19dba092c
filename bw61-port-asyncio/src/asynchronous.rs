//! After the port: tokio sockets and a task per connection (the book's
//! `run_async_server`, `handle_async_connection` and `AsyncClient`).
//!
//! This file is [`crate::threaded`] ported, in the same order, function for
//! function. Lines marked `// New:` are the ones the port changed in kind,
//! not only by adding `.await`. What did not change is everything that
//! decides: the same [`Connection::on_line`] answers every line.

use std::io;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;

// New: a `Stream`, the async `Iterator`, with its adapters.
use futures::stream::{self, Stream, StreamExt, TryStreamExt};
// New: tokio's traits and types instead of std's and nix's.
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::client::{
    self, BOOK_GAMES, GameSpec, Judge, Outcome, PlayError, REQUESTS_PER_SESSION, SessionRecord,
    rounds_left,
};
use crate::protocol::{Command, Decision, LINE_READ_LIMIT};
use crate::server::{
    ACCEPT_BACKOFF, BACKLOG, Connection, ConnectionEnd, READ_BUFFER, ServerOptions, Shared, Stats,
    StatsSnapshot, Step,
};

/// A running async server: its accept loop is a task, and so is every
/// connection. [`ServerHandle::shutdown`] stops it and waits for all of them.
#[derive(Debug)]
pub struct ServerHandle {
    local_addr: SocketAddr,
    shared: Arc<Shared>,
    // New: a cancellation token replaces the flag, the shut-down listener and
    // the registry of sockets: cancelling it wakes every task waiting on
    // `cancelled()`, wherever it is.
    stopping: CancellationToken,
    // New: a task tracker replaces the list of join handles.
    tasks: TaskTracker,
    /// `None` once stopped.
    accept_loop: Option<JoinHandle<()>>,
}

impl ServerHandle {
    /// Binds `addr` (use port 0 for any free port) and starts accepting.
    ///
    /// Must be called inside a tokio runtime, which then runs the server.
    pub async fn start(addr: SocketAddr, options: ServerOptions) -> io::Result<Self> {
        let listener = bind(addr)?;
        let local_addr = listener.local_addr()?;
        let shared = Shared::new(options);
        let stopping = CancellationToken::new();
        let tasks = TaskTracker::new();
        // New: `tokio::spawn` instead of `thread::spawn`.
        let accept_loop = tokio::spawn({
            let (shared, stopping, tasks) = (Arc::clone(&shared), stopping.clone(), tasks.clone());
            async move { accept_loop(&listener, &shared, &stopping, &tasks).await }
        });
        Ok(ServerHandle {
            local_addr,
            shared,
            stopping,
            tasks,
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

    /// Stops accepting, closes every open connection, waits for every task,
    /// and returns the final statistics.
    pub async fn shutdown(mut self) -> io::Result<StatsSnapshot> {
        self.stop().await?;
        Ok(self.shared.stats().snapshot())
    }

    async fn stop(&mut self) -> io::Result<()> {
        let Some(accept_loop) = self.accept_loop.take() else {
            return Ok(());
        };
        // New: one call reaches the accept loop and every connection, each
        // waiting at an `.await` (see `accept_loop` and `serve_connection`).
        self.stopping.cancel();
        accept_loop
            .await
            .map_err(|_| io::Error::other("the accept loop panicked"))?;
        // New: no more tasks will be spawned; wait until the last one is done.
        self.tasks.close();
        self.tasks.wait().await;
        Ok(())
    }
}

impl Drop for ServerHandle {
    /// Dropping cannot wait (`drop` is not async), but it still cancels: the
    /// tasks end at their next `.await` without being awaited.
    fn drop(&mut self) {
        self.stopping.cancel();
    }
}

/// The book's `asyncio.start_server`.
///
/// tokio's `TcpListener::bind` fixes the backlog at 1024; a `TcpSocket`
/// takes one, like the nix socket of the threaded server.
fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    // Lets a restarted server bind its port while old connections linger in TIME_WAIT.
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

/// The accept loop: accept, start a task, repeat.
async fn accept_loop(
    listener: &TcpListener,
    shared: &Arc<Shared>,
    stopping: &CancellationToken,
    tasks: &TaskTracker,
) {
    loop {
        // New: waiting for a client and waiting for shutdown at once; whichever
        // comes first wins, and the other wait is simply dropped.
        let accepted = tokio::select! {
            () = stopping.cancelled() => break,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _peer)) => stream,
            Err(error) => {
                shared.accept_failed(&error);
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        let connection = shared.connection();
        // New: a task costs a few hundred bytes and cannot fail to start.
        tasks.spawn({
            let (shared, stopping) = (Arc::clone(shared), stopping.clone());
            async move { serve_connection(stream, connection, &shared, &stopping).await }
        });
    }
}

/// The book's `handle_async_connection`, run as the connection's own task.
async fn serve_connection(
    mut stream: TcpStream,
    mut connection: Connection,
    shared: &Shared,
    stopping: &CancellationToken,
) {
    let _open = shared.stats().connection_opened();
    // New: shutdown drops `converse` wherever it is waiting, so there is no
    // socket to cut and nothing to re-classify afterwards.
    let end = tokio::select! {
        end = converse(&mut stream, &mut connection) => end,
        () = stopping.cancelled() => ConnectionEnd::ShutDown,
    };
    shared.stats().record_end(end);
}

/// Reads lines and answers them until the client leaves or misbehaves.
async fn converse(stream: &mut TcpStream, connection: &mut Connection) -> ConnectionEnd {
    // New: tokio's socket reads and writes through `&mut`, not `&` like std's,
    // so it is split into two halves that borrow it.
    let (reader, mut writer) = stream.split();
    let mut reader = BufReader::with_capacity(READ_BUFFER, reader);
    let mut line = Vec::new();
    loop {
        line.clear();
        // One line at most, and never more than LINE_READ_LIMIT bytes of it.
        if (&mut reader)
            .take(LINE_READ_LIMIT)
            .read_until(b'\n', &mut line)
            .await
            .is_err()
        {
            return ConnectionEnd::Failed;
        }
        match connection.on_line(&line) {
            Step::Reply(reply) => {
                if writer.write_all(reply.as_bytes()).await.is_err() {
                    return ConnectionEnd::Failed;
                }
            }
            Step::Quiet => {}
            Step::Reject(error) => {
                // Best effort: a client that has gone cannot hear it.
                let _ = writer.write_all(error.as_bytes()).await;
                return ConnectionEnd::Rejected;
            }
            Step::End(end) => return end,
        }
    }
}

/// The book's `AsyncClient`: an async connection that plays sessions.
#[derive(Debug)]
pub struct Client {
    /// The one socket: read through the buffer, written directly (`get_mut`).
    reader: BufReader<TcpStream>,
    /// The secret and the last distance while a session is open.
    judge: Option<Judge>,
}

impl Client {
    /// Connects to a server.
    pub async fn connect(addr: SocketAddr) -> io::Result<Self> {
        Client::new(TcpStream::connect(addr).await?)
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

    async fn send(&mut self, command: Command) -> Result<(), PlayError> {
        self.reader
            .get_mut()
            .write_all(format!("{command}\n").as_bytes())
            .await?;
        Ok(())
    }

    async fn receive(&mut self) -> Result<i64, PlayError> {
        let mut line = Vec::new();
        (&mut self.reader)
            .take(LINE_READ_LIMIT)
            .read_until(b'\n', &mut line)
            .await?;
        client::decode_reply(&line)
    }

    /// The book's `async with client.session(lower, upper, secret):` —
    /// starts a session, runs `body`, and then sends `PARAMS 0 -1` whether
    /// `body` succeeded or not (the async context manager's `finally:`).
    ///
    /// The body's error wins over a failure to send the reset: it is the one
    /// that explains what went wrong.
    ///
    /// **Cancellation differs from Python.** When a task running
    /// `async with client.session(...)` is cancelled, asyncio raises
    /// `CancelledError` at the await where it stands, and the `finally:`
    /// still runs and awaits the write of `PARAMS 0 -1`. A Rust future is
    /// cancelled by dropping it, and a dropped future runs none of its
    /// remaining code — there is no async `Drop` to await the reset in. So a
    /// session dropped part-way (by `tokio::time::timeout`, `select!`, an
    /// aborted task) leaves the server's session open. The client remembers
    /// it: its secret is still set. [`close`](Self::close) then sends the
    /// missing reset before closing, and a new `session` on the same
    /// connection is refused with [`PlayError::Cancelled`], because a reply
    /// to a `NUMBER` the body sent may still be on its way.
    // New: the body is an async closure. A `Drop` guard could not do this
    // job here: `drop` cannot `.await` the write of `PARAMS 0 -1`.
    pub async fn session<T>(
        &mut self,
        spec: GameSpec,
        body: impl AsyncFnOnce(&mut Self) -> Result<T, PlayError>,
    ) -> Result<T, PlayError> {
        // Still set: the last session's future was dropped before its reset.
        if self.judge.is_some() {
            return Err(PlayError::Cancelled);
        }
        self.judge = Some(Judge::new(spec.secret));
        self.send(Command::Params {
            lower: spec.lower,
            upper: spec.upper,
        })
        .await?;
        let result = body(self).await;
        self.judge = None;
        let reset = self.send(Command::END_SESSION).await;
        result.and_then(|value| reset.map(|()| value))
    }

    /// Sends `NUMBER` and returns the server's guess.
    pub async fn request_number(&mut self) -> Result<i64, PlayError> {
        self.send(Command::Number).await?;
        self.receive().await
    }

    /// The book's `report_outcome`: judges `number` and sends the `REPORT`.
    pub async fn report_outcome(&mut self, number: i64) -> Result<Decision, PlayError> {
        let decision = self
            .judge
            .as_mut()
            .ok_or(PlayError::NoSession)?
            .judge(number);
        self.send(Command::Report(decision)).await?;
        Ok(decision)
    }

    /// One round of the game: `NUMBER`, the server's guess, and its `REPORT`.
    async fn round(&mut self) -> Result<Outcome, PlayError> {
        let number = self.request_number().await?;
        let decision = self.report_outcome(number).await?;
        Ok(Outcome { number, decision })
    }

    /// The book's async generator `request_numbers(count)`, as a [`Stream`]:
    /// up to `count` rounds, each awaited by the loop that consumes it,
    /// ending after `Correct` or after the first error (the error is the last
    /// item).
    ///
    /// Like the threaded client's iterator, the stream holds `&mut self`
    /// while it lives, so the report is part of the round and each item is
    /// the book's `(x, outcome)` pair. Consume it with
    /// `while let Some(outcome) = numbers.next().await` (the book's
    /// `async for`) or `try_collect().await` (its async comprehension).
    pub fn request_numbers(
        &mut self,
        count: usize,
    ) -> impl Stream<Item = Result<Outcome, PlayError>> {
        // New: `stream::unfold` instead of `iter::from_fn`. A closure called
        // again for each item cannot hand out a future that borrows what it
        // captured, so `unfold` moves the state (the client and the rounds
        // left) into each round's future and gets it back with the item.
        stream::unfold((self, count), |(this, left)| async move {
            if left == 0 {
                return None;
            }
            let outcome = this.round().await;
            let left = rounds_left(left, &outcome);
            Some((outcome, (this, left)))
        })
    }

    /// Ends the connection and waits until the server has closed its end,
    /// like the book's `writer.close()` and `await writer.wait_closed()`.
    ///
    /// Closing only the sending half tells the server "no more commands";
    /// the server then finishes with the connection and closes it, and the
    /// read here returns end of stream. So when this returns, the server has
    /// counted the connection as closed.
    ///
    /// If a session was cancelled part-way, its `PARAMS 0 -1` is sent first.
    pub async fn close(mut self) -> Result<(), PlayError> {
        if self.judge.take().is_some() {
            self.send(Command::END_SESSION).await?;
        }
        self.reader.get_mut().shutdown().await?;
        let mut rest = Vec::new();
        (&mut self.reader)
            .take(LINE_READ_LIMIT)
            .read_to_end(&mut rest)
            .await?;
        Ok(())
    }
}

/// The book's `run_async_client`: both of [`BOOK_GAMES`] on one connection,
/// the first consumed like the book's async comprehension, the second like
/// its `async for` loop.
pub async fn run_client(addr: SocketAddr) -> Result<Vec<SessionRecord>, PlayError> {
    let mut client = Client::connect(addr).await?;
    let [first, second] = BOOK_GAMES;
    // `[(x, await client.report_outcome(x)) async for x in client.request_numbers(5)]`
    let outcomes = client
        .session(first, async |client| {
            // New: `try_collect` is the stream's `collect` into a `Result`.
            client
                .request_numbers(REQUESTS_PER_SESSION)
                .try_collect()
                .await
        })
        .await?;
    let mut records = vec![SessionRecord {
        spec: first,
        outcomes,
    }];
    // `async for number in client.request_numbers(5): ...results.append(...)`
    let outcomes = client
        .session(second, async |client| {
            let mut outcomes = Vec::new();
            // New: `next()` polls the stream in place, so it must not move:
            // `pin!` fixes it on this future's stack.
            let mut numbers = pin!(client.request_numbers(REQUESTS_PER_SESSION));
            while let Some(outcome) = numbers.next().await {
                outcomes.push(outcome?);
            }
            Ok(outcomes)
        })
        .await?;
    records.push(SessionRecord {
        spec: second,
        outcomes,
    });
    client.close().await?;
    Ok(records)
}
