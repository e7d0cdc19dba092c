//! # Item 61: know how to port threaded I/O to asyncio
//!
//! Start here: `examples/core.rs`, the item in one page. Run it with
//! `cargo run -p bw61-port-asyncio --example core`, break it with `-- --break`,
//! and read it; then run the demo (`cargo run -p bw61-port-asyncio`), then read
//! `src/` and `tests/`.
//!
//! *Effective Python*, 2nd ed., item 61 (스레드를 사용한 I/O를 어떻게 asyncio로
//! 포팅할 수 있는지 알아두라). The book takes a small TCP server written the
//! classic way — blocking sockets, a thread per connection — and ports it to
//! coroutines, showing that the port is mostly mechanical: `async def`,
//! `await`, `asyncio` streams instead of sockets, and an event loop instead of
//! threads. The game logic does not change.
//!
//! The game: a client thinks of a number and the server guesses it.
//!
//! ```text
//! PARAMS 1 5        client: start a session, guess in 1..=5
//! NUMBER            client: your guess?            server: 4
//! REPORT Unsure     client: (first guess, no direction yet)
//! NUMBER                                           server: 1
//! REPORT Colder     client: farther than 4 was
//! ...
//! REPORT Correct
//! PARAMS 0 -1       client: the empty range ends the session
//! ```
//!
//! ## What you'll see
//!
//! `cargo run -p bw61-port-asyncio` plays the book's two sessions (1..5 with
//! secret 3, then 10..15 with secret 12) twice: against the threaded server
//! with the threaded client, then against the async server with the async
//! client on a single-threaded runtime. Both print the book's lines
//! (`Server: 4 is Unsure` ... `Client: 12 is Correct`), and the demo checks
//! that each server heard exactly what its client sent and that both versions
//! played the same game, guess for guess — the default seed replays the very
//! game printed in the book. It then prints how big the port was, measured on
//! this crate's own source ([`port_size`]): of the 288 code lines of the
//! threaded transport, 144 survive unchanged and 36 more gain only `async` or
//! `.await`, while the 650 lines of shared logic do not change at all.
//! Finally it holds 1,000 sessions open at once against each server, with the
//! client in a child process, and compares sessions per second and the
//! server's memory per session: the async server is somewhat faster (about
//! 9,600 sessions/s against 7,600 for threads in the release benchmark, on
//! the course's 2-core machine), but the larger difference is memory, some
//! 12 KiB per session for a thread against 2.3 KiB for a task. The load test
//! (`tests/claims/load.rs`, ignored by default) and the benchmark do the same with
//! 10,000 sessions against the async server: all open at once, all
//! `Correct`, in about 1.3 s in the benchmark.
//!
//! ## The pieces
//!
//! Shared by both versions, with no I/O at all:
//!
//! - [`protocol`]: [`Command`](protocol::Command) and
//!   [`Decision`](protocol::Decision) parsed and printed, the bounded-line
//!   rules, and [`ProtocolError`](protocol::ProtocolError), whose message
//!   follows `ERROR ` on the wire.
//! - [`session`]: the book's server-side `Session` — the range, the guesses
//!   made, the secret once known — as a state machine driven by commands.
//! - [`client`]: the book's client-side judgement
//!   ([`Judge`](client::Judge), `report_outcome`) and the book's games.
//! - [`server`]: options, statistics, and [`Connection`](server::Connection),
//!   which turns the bytes of one line into one [`Step`](server::Step).
//!
//! The two transports, the only code the port touched:
//!
//! - [`threaded`]: std sockets, a thread per connection, blocking reads.
//! - [`asynchronous`]: tokio sockets, a task per connection, `.await`.
//!
//! And around them: [`background`] starts either server from synchronous
//! code, [`load`] plays thousands of sessions at once, [`port_size`]
//! measures the port, and [`platform`] holds what differs between Linux,
//! macOS and Windows (the listening socket, waiting for a client, the limit
//! on open files).
//!
//! ## Run it
//!
//! ```text
//! cargo run -p bw61-port-asyncio                        # the demo
//! cargo run -p bw61-port-asyncio -- serve --port 1234 --threads
//! cargo run -p bw61-port-asyncio -- play --port 1234    # in a second terminal
//! cargo run -p bw61-port-asyncio --release -- load --port 1234 --sessions 1000
//! cargo run -p bw61-port-asyncio -- --sessions 20 --trace demo.json   # a lane per connection
//! cargo test -p bw61-port-asyncio
//! cargo test -p bw61-port-asyncio --release --test claims load:: -- --ignored --nocapture
//! cargo bench -p bw61-port-asyncio
//! ```
//!
//! ## The key idea
//!
//! Keep the protocol independent of the I/O, and the port touches only the
//! transport. Here a connection's whole loop, in either version, is: read
//! one bounded line, ask [`Connection::on_line`](server::Connection::on_line)
//! what to do, write the reply. Porting it meant `async fn` and `.await` on
//! the reads and writes, tokio's socket types for std's, a task (spawned
//! through a `TaskTracker`) for a thread, a [`Stream`](futures::Stream) for
//! the client's [`Iterator`] of guesses (below) — and one change in kind,
//! shutdown, where tasks are much easier to stop than threads (below).
//!
//! The book's `main`, in both versions:
//!
//! ```
//! use bw61_port_asyncio::server::ServerOptions;
//! use bw61_port_asyncio::{BOOK_SEED, asynchronous, threaded};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let local = "127.0.0.1:0".parse()?;
//! // Threads: the server runs on threads of its own; the client blocks here.
//! let server = threaded::ServerHandle::start(local, ServerOptions::seeded(BOOK_SEED))?;
//! let by_threads = threaded::run_client(server.local_addr())?;
//! server.shutdown()?;
//!
//! // Async: one runtime runs the server's tasks and the client.
//! let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
//! let by_tasks = runtime.block_on(async {
//!     let server = asynchronous::ServerHandle::start(local, ServerOptions::seeded(BOOK_SEED)).await?;
//!     let records = asynchronous::run_client(server.local_addr()).await?;
//!     server.shutdown().await?;
//!     Ok::<_, Box<dyn std::error::Error>>(records)
//! })?;
//!
//! // The same game, guess for guess: 4, 1, 5, 3 and then 11, 10, 12.
//! assert_eq!(by_threads, by_tasks);
//! assert!(by_threads.iter().all(|session| session.solved()));
//! # Ok(())
//! # }
//! ```
//!
//! ## How Rust differs from the Python original
//!
//! - **The context manager.** The book's `with client.session(...)` sends
//!   `PARAMS 0 -1` in a `finally:`, even when the body raises. Rust's
//!   usual tool for "always run this" is a `Drop` guard, but `drop` can
//!   neither report an error nor `.await` a write. So both clients take the
//!   body as a closure (an async closure in the async client) and send the
//!   reset after it returns, whatever it returned.
//! - **Generators.** The book's client asks for guesses with a generator,
//!   `request_numbers(count)`, consumed by a list comprehension and a `for`
//!   loop; the port makes it an async generator, consumed by an async
//!   comprehension and `async for`. Their Rust counterparts are an
//!   [`Iterator`] ([`threaded::Client::request_numbers`], built with
//!   [`std::iter::from_fn`]) and a [`Stream`](futures::Stream), the async
//!   iterator ([`asynchronous::Client::request_numbers`], built with
//!   [`futures::stream::unfold`]). The loop becomes
//!   `while let Some(outcome) = numbers.next().await`, with the stream
//!   pinned first (`std::pin::pin!`) because `next` polls it in place, and
//!   the comprehension becomes `try_collect().await`. One thing does not
//!   carry over: the book's loop body calls `client.report_outcome(x)` while
//!   the generator is paused inside the same client, but an iterator or a
//!   stream holds its `&mut Client` as long as it lives, so the compiler
//!   refuses a second use (E0499). The report is therefore part of each
//!   round, and each item is the book's `(x, outcome)` pair.
//! - **Stopping.** The book's threads are daemons and its server never stops.
//!   Here both servers shut down on request and wait for everything they
//!   started. A thread blocked in `read` or `accept` cannot be interrupted,
//!   so the threaded server keeps every connection's socket in a registry
//!   (an `Arc` shared with its thread) and shuts the sockets down under the
//!   threads; its accept loop never blocks for long — it waits for a client
//!   at most [`platform::STOP_CHECK`] at a time and then looks at a stop
//!   flag (shutting a listening socket down wakes `accept` on Linux but not
//!   on macOS). A task can be dropped at any
//!   `.await`, so the async server only cancels a token that every task is
//!   waiting on too.
//! - **Bad input.** The book's server `assert`s and raises on bad lines, and
//!   its `next_guess` loops forever once every number has been guessed. Here
//!   every bad line — an unknown command, malformed `PARAMS`, `NUMBER` with
//!   no range, an empty range or an exhausted one, `REPORT` before a guess,
//!   an unknown decision, a line over 1 KiB, invalid UTF-8 — gets a line
//!   starting `ERROR ` and closes that connection only.
//! - **Scale.** Python's threads run one at a time because of the GIL, and
//!   its coroutines because asyncio's event loop is a single thread that
//!   runs one callback at a time. tokio's default runtime runs tasks on a
//!   worker thread per core, and Rust's threads run on every core too. So the
//!   async server is only somewhat faster (1.3 times the threaded server's
//!   sessions per second in the benchmark), and the larger difference is
//!   what each open session costs: a thread's stack and kernel structures
//!   against a task's future, about five times more for the thread. The
//!   README has the figures, and [`load`] explains what 10,000 loopback sessions need
//!   (descriptors, the listen backlog, ephemeral ports).
//! - **Line limits.** The book reads lines with `readline()`, which buffers
//!   whatever the client sends. Both transports here read through
//!   `take(`[`LINE_READ_LIMIT`](protocol::LINE_READ_LIMIT)`)`, so no line
//!   costs more than 1 KiB of memory, whatever the client does.
//!
//! See also: [`std::net::TcpListener`], [`tokio::net::TcpListener`],
//! [`tokio::net::TcpSocket::listen`], [`tokio_util::sync::CancellationToken`],
//! [`tokio_util::task::TaskTracker`].

pub mod asynchronous;
pub mod background;
pub mod client;
pub mod load;
pub mod platform;
pub mod port_size;
pub mod protocol;
pub mod server;
pub mod session;
pub mod threaded;

/// The server seed with which the first connection guesses exactly as the
/// book's printed run: 4, 1, 5, 3 in the first session and 11, 10, 12 in the
/// second.
pub const BOOK_SEED: u64 = 14833;
