//! Both clients end every session with `PARAMS 0 -1`, even when its body
//! fails — the book's context manager, as a closure-scoped session.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::thread::{self, JoinHandle};

use bw61_port_asyncio::background::{BackgroundServer, Transport};
use bw61_port_asyncio::client::{GameSpec, PlayError};
use bw61_port_asyncio::server::ServerOptions;
use bw61_port_asyncio::{asynchronous, threaded};
use futures::TryStreamExt;

const SPEC: GameSpec = GameSpec {
    lower: 1,
    upper: 5,
    secret: 3,
};

/// A scripted server for one connection: it answers every `NUMBER` with an
/// `ERROR` line but keeps reading, and returns every line it received.
fn scripted_server() -> (SocketAddr, JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let addr = listener.local_addr().expect("bound");
    let script = thread::spawn(move || {
        let (stream, _) = listener.accept().expect("the client connects");
        let mut writer = stream.try_clone().expect("a second handle");
        let mut received = Vec::new();
        for line in BufReader::new(stream).lines() {
            let line = line.expect("a text line");
            if line == "NUMBER" {
                writer
                    .write_all(b"ERROR scripted failure\n")
                    .expect("the client reads");
            }
            received.push(line);
        }
        received
    });
    (addr, script)
}

#[test]
fn threaded_client_resets_after_a_server_error() {
    let (addr, script) = scripted_server();
    let mut client = threaded::Client::connect(addr).expect("connected");
    let result = client.session(SPEC, |client| {
        client.request_numbers(5).collect::<Result<Vec<_>, _>>()
    });
    assert!(
        matches!(&result, Err(PlayError::Server(m)) if m == "scripted failure"),
        "{result:?}"
    );
    drop(client);
    assert_eq!(
        script.join().expect("the script ran"),
        ["PARAMS 1 5", "NUMBER", "PARAMS 0 -1"]
    );
}

#[test]
fn threaded_client_resets_after_its_own_failure() {
    let (addr, script) = scripted_server();
    let mut client = threaded::Client::connect(addr).expect("connected");
    let result: Result<(), _> =
        client.session(SPEC, |_| Err(PlayError::Aborted("the body gave up".into())));
    assert!(matches!(result, Err(PlayError::Aborted(_))), "{result:?}");
    drop(client);
    assert_eq!(
        script.join().expect("the script ran"),
        ["PARAMS 1 5", "PARAMS 0 -1"]
    );
}

#[tokio::test]
async fn async_client_resets_after_a_server_error() {
    let (addr, script) = scripted_server();
    let mut client = asynchronous::Client::connect(addr)
        .await
        .expect("connected");
    let result = client
        .session(SPEC, async |client| {
            client.request_numbers(5).try_collect::<Vec<_>>().await
        })
        .await;
    assert!(
        matches!(&result, Err(PlayError::Server(m)) if m == "scripted failure"),
        "{result:?}"
    );
    drop(client);
    let received = tokio::task::spawn_blocking(move || script.join().expect("the script ran"))
        .await
        .expect("joined");
    assert_eq!(received, ["PARAMS 1 5", "NUMBER", "PARAMS 0 -1"]);
}

#[tokio::test]
async fn async_client_resets_after_its_own_failure() {
    let (addr, script) = scripted_server();
    let mut client = asynchronous::Client::connect(addr)
        .await
        .expect("connected");
    let result: Result<(), _> = client
        .session(SPEC, async |_| {
            Err(PlayError::Aborted("the body gave up".into()))
        })
        .await;
    assert!(matches!(result, Err(PlayError::Aborted(_))), "{result:?}");
    drop(client);
    let received = tokio::task::spawn_blocking(move || script.join().expect("the script ran"))
        .await
        .expect("joined");
    assert_eq!(received, ["PARAMS 1 5", "PARAMS 0 -1"]);
}

/// Python's `finally` runs when the session's task is cancelled; a dropped
/// Rust future runs nothing more. The client remembers the open session:
/// another session on the connection is refused, and `close` sends the reset
/// that the cancelled session never sent.
#[tokio::test]
async fn a_cancelled_async_session_is_reset_by_close() {
    let (addr, script) = scripted_server();
    let mut client = asynchronous::Client::connect(addr)
        .await
        .expect("connected");
    // The body never finishes, so the timeout always fires and drops the
    // session's future part-way; the time itself is not what is checked.
    let cancelled = tokio::time::timeout(
        std::time::Duration::from_millis(20),
        client.session(SPEC, async |_| {
            std::future::pending::<Result<(), PlayError>>().await
        }),
    )
    .await;
    assert!(cancelled.is_err(), "the body cannot finish: {cancelled:?}");

    let again: Result<(), _> = client.session(SPEC, async |_| Ok(())).await;
    assert!(matches!(again, Err(PlayError::Cancelled)), "{again:?}");

    client
        .close()
        .await
        .expect("the reset is sent, then the connection closed");
    let received = tokio::task::spawn_blocking(move || script.join().expect("the script ran"))
        .await
        .expect("joined");
    assert_eq!(received, ["PARAMS 1 5", "PARAMS 0 -1"]);
}

/// Against a real server the `ERROR` closes the connection, so the reset
/// cannot be delivered; the body's error is still the one returned.
#[test]
fn the_body_error_wins_over_the_reset() {
    for transport in Transport::BOTH {
        let server =
            BackgroundServer::start_local(transport, ServerOptions::seeded(9)).expect("started");
        let mut client = threaded::Client::connect(server.local_addr()).expect("connected");
        let one = GameSpec {
            lower: 7,
            upper: 7,
            secret: 8,
        };
        // Asking twice in a range of one number, without reporting, exhausts it.
        let result = client.session(one, |client| {
            assert_eq!(client.request_number()?, 7);
            client.request_number()
        });
        assert!(
            matches!(&result, Err(PlayError::Server(m)) if m.contains("every number in 7..=7")),
            "{transport}: {result:?}"
        );
        drop(client);
        // The client cannot see when the server has counted the connection; wait for it.
        let stats = server
            .stats()
            .wait_for_ended(1, std::time::Duration::from_secs(10));
        assert_eq!(stats.rejected, 1, "{transport}: {stats:?}");
        server.shutdown().expect("stopped");
    }
}

#[test]
fn reporting_outside_a_session_is_an_error() {
    let (addr, script) = scripted_server();
    let mut client = threaded::Client::connect(addr).expect("connected");
    assert!(matches!(
        client.report_outcome(3),
        Err(PlayError::NoSession)
    ));
    drop(client);
    assert!(
        script.join().expect("the script ran").is_empty(),
        "nothing was sent"
    );
}
