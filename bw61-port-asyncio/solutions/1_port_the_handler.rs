//! The threaded loop line for line, with tokio's socket halves and an
//! `.await` on every read and write: each wait yields the thread to the
//! other connections, and the game logic is called exactly as before.

use bw61_port_asyncio::protocol::LINE_READ_LIMIT;
use bw61_port_asyncio::server::{Connection, ConnectionEnd, READ_BUFFER, Step};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// One connection, served as a task.
pub async fn serve_connection(mut stream: TcpStream, mut connection: Connection) -> ConnectionEnd {
    let (reader, mut writer) = stream.split();
    let mut reader = BufReader::with_capacity(READ_BUFFER, reader);
    let mut line = Vec::new();
    loop {
        line.clear();
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
                let _ = writer.write_all(error.as_bytes()).await;
                return ConnectionEnd::Rejected;
            }
            Step::End(end) => return end,
        }
    }
}
