//! Mistake: the threaded handler kept as it was, on the std socket under
//! tokio's. It answers every line correctly, but each blocking `read` holds
//! the runtime's only thread: one connection is served at a time, and the
//! others wait for it to end.

use std::io::{BufRead, BufReader, Read, Write};

use bw61_port_asyncio::protocol::LINE_READ_LIMIT;
use bw61_port_asyncio::server::{Connection, ConnectionEnd, READ_BUFFER, Step};
use tokio::net::TcpStream;

pub async fn serve_connection(stream: TcpStream, mut connection: Connection) -> ConnectionEnd {
    let Ok(stream) = stream.into_std() else {
        return ConnectionEnd::Failed;
    };
    if stream.set_nonblocking(false).is_err() {
        return ConnectionEnd::Failed;
    }
    let mut reader = BufReader::with_capacity(READ_BUFFER, &stream);
    let mut writer = &stream;
    let mut line = Vec::new();
    loop {
        line.clear();
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
                let _ = writer.write_all(error.as_bytes());
                return ConnectionEnd::Rejected;
            }
            Step::End(end) => return end,
        }
    }
}
