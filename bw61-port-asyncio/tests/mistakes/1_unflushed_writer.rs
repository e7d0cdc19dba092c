//! Mistake: the write half wrapped in tokio's `BufWriter`, and never
//! flushed. A reply waits in the buffer for more bytes that do not come,
//! while the client waits for the reply: nobody moves.

use bw61_port_asyncio::protocol::LINE_READ_LIMIT;
use bw61_port_asyncio::server::{Connection, ConnectionEnd, Step};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, BufWriter};
use tokio::net::TcpStream;

pub async fn serve_connection(mut stream: TcpStream, mut connection: Connection) -> ConnectionEnd {
    let (reader, writer) = stream.split();
    let (mut reader, mut writer) = (BufReader::new(reader), BufWriter::new(writer));
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
