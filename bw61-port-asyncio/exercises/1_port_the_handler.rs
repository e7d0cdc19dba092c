//! 연습 61.1 — 핸들러 하나를 async로 포팅하기 / Exercise 61.1 — port one handler to async
//!
//! The threaded server gives each connection a thread, which blocks in
//! `read`. Port its connection handler to tokio, so that one thread serves
//! every connection at once.
//!
//! Run the checks: `cargo test -p bw61-port-asyncio --features exercises --test exercises exercise_61_1`

use bw61_port_asyncio::server::{Connection, ConnectionEnd};
use tokio::net::TcpStream;

/// Serves one connection until the client leaves or misbehaves, and says how
/// it ended — the port of the threaded server's handler, which is:
///
/// ```text
/// fn converse(stream: &std::net::TcpStream, connection: &mut Connection) -> ConnectionEnd {
///     let mut reader = BufReader::with_capacity(READ_BUFFER, stream);
///     let mut writer = stream;
///     let mut line = Vec::new();
///     loop {
///         line.clear();
///         if (&mut reader).take(LINE_READ_LIMIT).read_until(b'\n', &mut line).is_err() {
///             return ConnectionEnd::Failed;
///         }
///         match connection.on_line(&line) {
///             Step::Reply(reply) => {
///                 if writer.write_all(reply.as_bytes()).is_err() {
///                     return ConnectionEnd::Failed;
///                 }
///             }
///             Step::Quiet => {}
///             Step::Reject(error) => {
///                 let _ = writer.write_all(error.as_bytes());
///                 return ConnectionEnd::Rejected;
///             }
///             Step::End(end) => return end,
///         }
///     }
/// }
/// ```
///
/// (`Step`, `READ_BUFFER` are in `bw61_port_asyncio::server`,
/// `LINE_READ_LIMIT` in `bw61_port_asyncio::protocol`.) The game logic,
/// `connection.on_line`, does not change. What changes is the transport:
/// tokio's socket is read and written through `&mut`, so split it
/// (`stream.split()` or `into_split()`), use tokio's `BufReader` with
/// `AsyncBufReadExt`/`AsyncReadExt`/`AsyncWriteExt`, and `.await` every read
/// and write. No std socket call may remain: a blocking read in a task holds
/// the runtime's thread. If you buffer the writer, flush each reply.
///
/// The checks run a server on a one-thread runtime that spawns this handler
/// as a task per connection, play twelve games from twelve clients at once,
/// and verify that:
/// - all twelve sessions are in flight at the same time (every client gets
///   its first guess before any game goes on);
/// - every client gets each reply (none waits seconds for one);
/// - every session reaches `Correct` on its secret, and every connection
///   ends `Closed` once its client leaves.
pub async fn serve_connection(stream: TcpStream, connection: Connection) -> ConnectionEnd {
    todo!()
}
