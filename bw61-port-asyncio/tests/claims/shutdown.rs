//! Both servers stop on request with clients still connected — idle, in the
//! middle of a line, in the middle of a session — and leave nothing running.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use bw61_port_asyncio::background::{BackgroundServer, Transport};
use bw61_port_asyncio::server::ServerOptions;
use bw61_port_asyncio::{asynchronous, threaded};

const READ_TIMEOUT: Duration = Duration::from_secs(10);

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).expect("the server accepts");
    stream
        .set_read_timeout(Some(READ_TIMEOUT))
        .expect("a read timeout");
    stream
}

/// Waits for the server to close `stream`: end of stream or a reset, but not
/// the read timeout.
fn assert_closed_by_server(mut stream: TcpStream, what: &str) {
    let mut rest = Vec::new();
    match stream.read_to_end(&mut rest) {
        Ok(_) => {}
        Err(e) if e.kind() == ErrorKind::ConnectionReset => {}
        Err(e) => panic!("{what}: the server did not close the connection: {e}"),
    }
}

/// Three clients the server is waiting on in three different places.
fn open_clients(addr: SocketAddr) -> Vec<(&'static str, TcpStream)> {
    let idle = connect(addr);
    let mut mid_line = connect(addr);
    mid_line.write_all(b"PARAMS 1").expect("sent");
    let mut mid_session = connect(addr);
    mid_session
        .write_all(b"PARAMS 1 5\nNUMBER\n")
        .expect("sent");
    let mut guess = String::new();
    BufReader::new(&mid_session)
        .read_line(&mut guess)
        .expect("a guess");
    assert!(guess.trim().parse::<i64>().is_ok(), "{guess:?}");
    vec![
        ("idle", idle),
        ("mid-line", mid_line),
        ("mid-session", mid_session),
    ]
}

fn shutdown_closes_every_connection(transport: Transport) {
    let server =
        BackgroundServer::start_local(transport, ServerOptions::seeded(1)).expect("started");
    let addr = server.local_addr();
    let clients = open_clients(addr);
    let stats = server.shutdown().expect("the server stops");
    for (what, stream) in clients {
        assert_closed_by_server(stream, what);
    }
    // The mid-session client was surely accepted; the other two may still
    // have been waiting in the listen backlog, which closes with the listener.
    assert!(stats.shut_down >= 1, "{transport}: {stats:?}");
    assert_eq!(stats.shut_down, stats.accepted, "{transport}: {stats:?}");
    assert_eq!(stats.rejected + stats.failed, 0, "{transport}: {stats:?}");
    // Nobody listens any more.
    let refused = TcpStream::connect(addr).expect_err("the port is closed");
    assert_eq!(refused.kind(), ErrorKind::ConnectionRefused, "{transport}");
}

#[test]
fn threaded_shutdown_closes_every_connection() {
    shutdown_closes_every_connection(Transport::Threads);
}

#[test]
fn async_shutdown_closes_every_connection() {
    shutdown_closes_every_connection(Transport::Async);
}

/// The threads of this process, as the operating system counts them.
fn os_threads() -> usize {
    course_support::threads::count().expect("the system counts this process's threads")
}

/// The threaded server runs an accept loop and a thread per connection;
/// after shutdown the process is back to the threads it had before. The
/// count covers the whole process, so the test runs alone in one.
#[cfg_attr(windows, ignore = "threads are not counted on Windows")]
#[test]
fn threaded_shutdown_joins_every_thread() {
    if !course_support::testing::alone_in_process(
        module_path!(),
        "threaded_shutdown_joins_every_thread",
    ) {
        return;
    }
    let before = os_threads();
    let server =
        threaded::ServerHandle::start(([127, 0, 0, 1], 0).into(), ServerOptions::seeded(2))
            .expect("started");
    let clients = open_clients(server.local_addr());
    // The mid-session client's thread answered, so it exists; so does the accept loop.
    let during = os_threads();
    assert!(during >= before + 2, "{during} threads, {before} before");
    server.shutdown().expect("the server stops");
    // `join` returns once a thread has finished; the system stops counting
    // it a moment later, so look again for a while (not a timing assertion:
    // the limit is only there so a leak cannot hang the test).
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut after = os_threads();
    while after != before && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
        after = os_threads();
    }
    assert_eq!(after, before, "threads left after shutdown");
    drop(clients);
}

/// Dropping a server instead of shutting it down still stops it.
#[test]
fn dropping_a_server_stops_it() {
    for transport in Transport::BOTH {
        let server =
            BackgroundServer::start_local(transport, ServerOptions::seeded(3)).expect("started");
        let addr = server.local_addr();
        let clients = open_clients(addr);
        drop(server);
        for (what, stream) in clients {
            assert_closed_by_server(stream, what);
        }
        let refused = TcpStream::connect(addr).expect_err("the port is closed");
        assert_eq!(refused.kind(), ErrorKind::ConnectionRefused, "{transport}");
    }
}

/// Dropping the async handle inside its runtime cannot wait, but it cancels:
/// every connection task ends at its next `.await` and closes its socket.
#[tokio::test]
async fn dropping_the_async_handle_cancels_its_tasks() {
    let server =
        asynchronous::ServerHandle::start(([127, 0, 0, 1], 0).into(), ServerOptions::seeded(4))
            .await
            .expect("started");
    let addr = server.local_addr();
    let clients = tokio::task::spawn_blocking(move || open_clients(addr))
        .await
        .expect("connected");
    drop(server);
    tokio::task::spawn_blocking(move || {
        for (what, stream) in clients {
            assert_closed_by_server(stream, what);
        }
    })
    .await
    .expect("every connection closed");
}
