//! Many sessions open at the same time on both servers, each played to
//! `Correct` — the load run of `tests/claims/load.rs`, small enough for every test run.

use std::path::Path;
use std::time::Duration;

use bw61_port_asyncio::background::{BackgroundServer, Transport};
use bw61_port_asyncio::load::{self, LoadPlan};
use bw61_port_asyncio::server::ServerOptions;

const SESSIONS: usize = 50;

fn sessions_are_held_at_once(transport: Transport) {
    let server =
        BackgroundServer::start_local(transport, ServerOptions::seeded(8)).expect("started");
    let plan = LoadPlan {
        // Fewer handshakes in flight than sessions, so the semaphore is used.
        connects_in_flight: 8,
        ..LoadPlan::new(SESSIONS)
    };
    let report = load::run_load_client(server.local_addr(), &plan).expect("every session plays");
    assert_eq!(report.solved, SESSIONS, "{transport}: {report:?}");
    // Instrumented, not timed: the gauges saw every session open at once.
    assert_eq!(report.peak_open, SESSIONS, "{transport}: {report:?}");
    let stats = server
        .stats()
        .wait_for_ended(SESSIONS as u64, Duration::from_secs(10));
    assert_eq!(stats.peak_open, SESSIONS, "{transport}: {stats:?}");
    assert_eq!(
        (stats.accepted, stats.closed, stats.sessions_solved),
        (SESSIONS as u64, SESSIONS as u64, SESSIONS as u64),
        "{transport}: {stats:?}"
    );
    server.shutdown().expect("stopped");
}

#[test]
fn threaded_server_holds_every_session_at_once() {
    sessions_are_held_at_once(Transport::Threads);
}

#[test]
fn async_server_holds_every_session_at_once() {
    sessions_are_held_at_once(Transport::Async);
}

/// The measuring path of the demo and the load test, with the client in a
/// child process, on a small scale.
#[test]
fn measure_runs_the_client_as_a_child_process() {
    let client = Path::new(env!("CARGO_BIN_EXE_bw61-port-asyncio"));
    for transport in Transport::BOTH {
        let run = load::measure(transport, &LoadPlan::new(100), client).expect("measured");
        run.verify().expect("every session open at once and solved");
        assert_eq!(run.report.sessions, 100);
    }
}

#[test]
fn a_failing_load_names_the_session_and_stops() {
    // Nothing listens on this port once the listener is dropped.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port");
    let error = load::run_load_client(addr, &LoadPlan::new(20)).expect_err("nobody to play with");
    let message = error.to_string();
    assert!(message.starts_with("session "), "{message}");
    assert!(message.contains("refused"), "{message}");
}
