//! Every kind of bad input gets a line starting `ERROR ` and closes only its
//! own connection, on both servers: one table of cases, run against each,
//! while a well-behaved client keeps its session open throughout.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::Duration;

use bw61_port_asyncio::background::{BackgroundServer, Transport};
use bw61_port_asyncio::client::{GameSpec, Outcome, REQUESTS_PER_SESSION};
use bw61_port_asyncio::protocol::Decision;
use bw61_port_asyncio::server::ServerOptions;
use bw61_port_asyncio::threaded::Client;

/// Guards every read, so a server that fails to answer fails the test
/// instead of hanging it.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

struct Case {
    name: &'static str,
    send: Vec<u8>,
    /// Number replies expected before the `ERROR` line.
    numbers_before: usize,
    /// A piece of the expected error message.
    error: &'static str,
}

fn case(
    name: &'static str,
    send: impl Into<Vec<u8>>,
    numbers_before: usize,
    error: &'static str,
) -> Case {
    Case {
        name,
        send: send.into(),
        numbers_before,
        error,
    }
}

fn cases() -> Vec<Case> {
    vec![
        case("unknown command", "HELLO\n", 0, "unknown command \"HELLO\""),
        case(
            "lowercase command",
            "number\n",
            0,
            "unknown command \"number\"",
        ),
        case("empty line", "\n", 0, "empty line"),
        case(
            "PARAMS with one bound",
            "PARAMS 1\n",
            0,
            "PARAMS takes 2 arguments (lower upper), got 1",
        ),
        case("PARAMS with three bounds", "PARAMS 1 2 3\n", 0, "got 3"),
        case(
            "PARAMS with a word",
            "PARAMS one 5\n",
            0,
            "\"one\" is not an integer",
        ),
        case(
            "PARAMS with a fraction",
            "PARAMS 1 2.5\n",
            0,
            "\"2.5\" is not an integer",
        ),
        case(
            "PARAMS out of range",
            "PARAMS 1 99999999999\n",
            0,
            "99999999999 is out of range",
        ),
        case(
            "PARAMS beyond i64",
            "PARAMS -99999999999999999999999 5\n",
            0,
            "is out of range",
        ),
        case(
            "NUMBER with an argument",
            "PARAMS 1 5\nNUMBER 3\n",
            0,
            "NUMBER takes no arguments, got 1",
        ),
        case("NUMBER before PARAMS", "NUMBER\n", 0, "no range is set"),
        case(
            "NUMBER after the session ended",
            "PARAMS 1 5\nPARAMS 0 -1\nNUMBER\n",
            0,
            "empty range 0..=-1",
        ),
        case(
            "NUMBER with an empty range",
            "PARAMS 9 2\nNUMBER\n",
            0,
            "empty range 9..=2",
        ),
        case(
            "NUMBER with every number guessed",
            "PARAMS 1 2\nNUMBER\nNUMBER\nNUMBER\n",
            2,
            "every number in 1..=2",
        ),
        case(
            "REPORT before NUMBER",
            "PARAMS 1 5\nREPORT Warmer\n",
            0,
            "REPORT before any NUMBER",
        ),
        case(
            "REPORT before PARAMS",
            "REPORT Correct\n",
            0,
            "REPORT before any NUMBER",
        ),
        case(
            "REPORT after a new PARAMS",
            "PARAMS 1 5\nNUMBER\nPARAMS 1 5\nREPORT Correct\n",
            1,
            "REPORT before any NUMBER",
        ),
        case(
            "REPORT with an unknown decision",
            "PARAMS 1 5\nNUMBER\nREPORT Hot\n",
            1,
            "unknown decision \"Hot\"",
        ),
        case(
            "REPORT without a decision",
            "PARAMS 1 5\nNUMBER\nREPORT\n",
            1,
            "REPORT takes 1 argument (the decision), got 0",
        ),
        case(
            "line over 1 KiB",
            format!("PARAMS 1 {}\n", "5".repeat(1100)),
            0,
            "line longer than 1024 bytes",
        ),
        case(
            "line over 1 KiB, never ended",
            vec![b'x'; 5000],
            0,
            "line longer than 1024 bytes",
        ),
        case(
            "invalid UTF-8",
            b"PARAMS \xff\xfe 5\n".to_vec(),
            0,
            "not valid UTF-8",
        ),
    ]
}

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).expect("the server accepts");
    stream
        .set_read_timeout(Some(READ_TIMEOUT))
        .expect("a read timeout");
    stream
}

/// Sends `bytes`, then reads lines until the server closes the connection.
///
/// A server that closes with input left unread makes the kernel reset the
/// connection, so the end may be an error instead of end of stream; the
/// lines sent before it are delivered either way.
fn exchange(addr: SocketAddr, bytes: &[u8]) -> Vec<String> {
    let mut stream = connect(addr);
    stream.write_all(bytes).expect("the server reads");
    let mut reader = BufReader::new(stream);
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) => return lines,
            Ok(_) => lines.push(line.trim_end().to_owned()),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return lines,
            Err(e) => panic!(
                "reading after {:?}: {e} (lines so far: {lines:?})",
                String::from_utf8_lossy(bytes)
            ),
        }
    }
}

fn check(case: &Case, lines: &[String], transport: Transport) {
    let context = format!("{transport} server, case {:?}: got {lines:?}", case.name);
    assert_eq!(lines.len(), case.numbers_before + 1, "{context}");
    for number in &lines[..case.numbers_before] {
        number
            .parse::<i64>()
            .unwrap_or_else(|_| panic!("{context}: {number:?} is not a guess"));
    }
    let last = &lines[case.numbers_before];
    assert!(last.starts_with("ERROR "), "{context}");
    assert!(
        last.contains(case.error),
        "{context}: expected {:?}",
        case.error
    );
}

fn bad_input_is_rejected(transport: Transport) {
    let server = BackgroundServer::start_local(transport, ServerOptions::seeded(3))
        .expect("the server starts");
    let addr = server.local_addr();
    let cases = cases();

    // A client in the middle of a session the whole time: every bad
    // connection must leave it alone.
    let mut bystander = Client::connect(addr).expect("the server accepts");
    let spec = GameSpec {
        lower: 1,
        upper: 5,
        secret: 3,
    };
    let outcomes = bystander
        .session(spec, |client| {
            // The server's answer proves it holds this session now.
            let first = client.request_number()?;
            for case in &cases {
                check(case, &exchange(addr, &case.send), transport);
            }
            // The exhausted range yields each number exactly once.
            let mut guesses: Vec<i64> = exchange(addr, b"PARAMS 1 2\nNUMBER\nNUMBER\nNUMBER\n")
                .iter()
                .filter_map(|line| line.parse().ok())
                .collect();
            guesses.sort_unstable();
            assert_eq!(guesses, [1, 2], "{transport} server");
            let mut outcomes = vec![Outcome {
                number: first,
                decision: client.report_outcome(first)?,
            }];
            if outcomes[0].decision != Decision::Correct {
                for outcome in client.request_numbers(REQUESTS_PER_SESSION - 1) {
                    outcomes.push(outcome?);
                }
            }
            Ok(outcomes)
        })
        .expect("the bystander's session is unaffected");
    bystander.close().expect("the bystander leaves cleanly");
    assert_eq!(outcomes.last().map(|o| o.decision), Some(Decision::Correct));

    let rejected = cases.len() as u64 + 1;
    let stats = server.stats().wait_for_ended(rejected + 1, READ_TIMEOUT);
    assert_eq!(stats.rejected, rejected, "{transport}: {stats:?}");
    assert_eq!(
        stats.closed, 1,
        "{transport}: only the bystander closed cleanly: {stats:?}"
    );
    assert_eq!(stats.sessions_solved, 1, "{transport}: {stats:?}");
    assert_eq!(
        (stats.failed, stats.abandoned),
        (0, 0),
        "{transport}: {stats:?}"
    );
    server.shutdown().expect("the server stops");
}

#[test]
fn threaded_server_rejects_every_kind_of_bad_input() {
    bad_input_is_rejected(Transport::Threads);
}

#[test]
fn async_server_rejects_every_kind_of_bad_input() {
    bad_input_is_rejected(Transport::Async);
}

/// Clients that vanish: in the middle of a session, and in the middle of a line.
fn vanishing_clients_abandon_their_sessions(transport: Transport) {
    let server = BackgroundServer::start_local(transport, ServerOptions::seeded(4))
        .expect("the server starts");
    let addr = server.local_addr();

    // Mid-session: a guess is answered, then the client drops the socket.
    let mut stream = connect(addr);
    stream
        .write_all(b"PARAMS 1 5\nNUMBER\n")
        .expect("the server reads");
    let mut reply = String::new();
    BufReader::new(&stream)
        .read_line(&mut reply)
        .expect("a guess");
    assert!((1..=5).contains(&reply.trim().parse::<i64>().expect("a number")));
    drop(stream);

    // Mid-line: half a command, then the client stops sending.
    let mut stream = connect(addr);
    stream
        .write_all(b"PARAMS 1 5\nNUMB")
        .expect("the server reads");
    stream.shutdown(Shutdown::Write).expect("half-close");
    let mut rest = Vec::new();
    stream
        .read_to_end(&mut rest)
        .expect("the server closes its end");
    assert!(rest.is_empty(), "no reply to half a line: {rest:?}");

    let stats = server.stats().wait_for_ended(2, READ_TIMEOUT);
    assert_eq!(stats.abandoned, 2, "{transport}: {stats:?}");
    assert_eq!(stats.rejected + stats.failed, 0, "{transport}: {stats:?}");

    // And the server carries on.
    let records = bw61_port_asyncio::threaded::run_client(addr).expect("a new client plays");
    assert_eq!(records.len(), 2);
    server.shutdown().expect("the server stops");
}

#[test]
fn threaded_server_notices_vanishing_clients() {
    vanishing_clients_abandon_their_sessions(Transport::Threads);
}

#[test]
fn async_server_notices_vanishing_clients() {
    vanishing_clients_abandon_their_sessions(Transport::Async);
}

/// Input at the edges that is valid: the reset before any session, an empty
/// range twice, CRLF, extra spaces, and a line of exactly 1024 bytes.
fn edge_cases_are_accepted(transport: Transport) {
    let server = BackgroundServer::start_local(transport, ServerOptions::seeded(5))
        .expect("the server starts");
    let mut long = b"PARAMS 7 7".to_vec();
    long.resize(1024, b' ');
    long.extend_from_slice(b"\nNUMBER\n");
    let mut stream = connect(server.local_addr());
    stream
        .write_all(
            b"PARAMS 0 -1\nPARAMS 0 -1\nPARAMS  1   1 \r\nNUMBER\r\nREPORT Correct\nNUMBER\n",
        )
        .expect("the server reads");
    stream.write_all(&long).expect("the server reads");
    stream
        .write_all(b"PARAMS 0 -1\n")
        .expect("the server reads");
    stream.shutdown(Shutdown::Write).expect("half-close");
    let mut replies = String::new();
    stream
        .read_to_string(&mut replies)
        .expect("the server closes cleanly");
    // The range 1..=1 gives 1, then the secret 1 again; 7..=7 gives 7.
    assert_eq!(replies, "1\n1\n7\n", "{transport}");
    let stats = server.shutdown().expect("the server stops");
    assert_eq!(
        (stats.closed, stats.rejected, stats.sessions_solved),
        (1, 0, 1),
        "{transport}: {stats:?}"
    );
}

#[test]
fn threaded_server_accepts_edge_cases() {
    edge_cases_are_accepted(Transport::Threads);
}

#[test]
fn async_server_accepts_edge_cases() {
    edge_cases_are_accepted(Transport::Async);
}
