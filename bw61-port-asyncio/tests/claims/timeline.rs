//! The servers' timelines: a `connection` span per connection (with a
//! `request` span per line handled inside it) on both servers, a `session`
//! span per session of the `load` client, recorded in-process and in the
//! Chrome trace `--trace` writes.

use std::path::PathBuf;
use std::time::Duration;

use bw61_port_asyncio::background::{BackgroundServer, Transport};
use bw61_port_asyncio::load::{self, LoadPlan};
use bw61_port_asyncio::server::ServerOptions;
use course_support::testing::{ChromeTrace, accepted, alone_in_process};
use course_support::timeline;

const EXE: &str = env!("CARGO_BIN_EXE_bw61-port-asyncio");
const SESSIONS: usize = 4;

/// A trace file of this test process's own, removed when dropped.
struct TraceFile(PathBuf);

impl TraceFile {
    fn new(name: &str) -> Self {
        let path =
            std::env::temp_dir().join(format!("bw61-trace-{}-{name}.json", std::process::id()));
        TraceFile(path)
    }

    fn arg(&self) -> &str {
        self.0.to_str().expect("a UTF-8 temporary path")
    }
}

impl Drop for TraceFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn a_lane_per_connection_all_open_at_once(transport: Transport) {
    let server =
        BackgroundServer::start_local(transport, ServerOptions::seeded(8)).expect("started");
    let (report, recorded) = timeline::record(|| {
        let report = load::run_load_client(server.local_addr(), &LoadPlan::new(SESSIONS));
        // The server closes its end after the client: wait for it, so every
        // connection span has closed inside the recording.
        server
            .stats()
            .wait_for_ended(SESSIONS as u64, Duration::from_secs(10));
        report
    });
    let report = report.expect("every session plays");
    assert_eq!(report.solved, SESSIONS, "{transport}: {report:?}");
    let connections = recorded.named("connection");
    let mut lanes = connections.lanes();
    lanes.sort_unstable();
    let expected: Vec<String> = (0..SESSIONS).map(|id| format!("connection {id}")).collect();
    assert_eq!(lanes, expected, "{transport}: a lane per connection");
    assert_eq!(
        connections.peak_overlap(),
        SESSIONS,
        "{transport}: every connection open at once:\n{}",
        connections.chart(72, 8)
    );
    // At least PARAMS, NUMBER, REPORT, the reset and the end of stream.
    let requests = recorded.named("request").intervals().len();
    assert!(requests >= 5 * SESSIONS, "{transport}: {requests} requests");
    // The client's side: a session span per session, all open at once.
    let sessions = recorded.named("session");
    assert_eq!(sessions.lanes().len(), SESSIONS, "{transport}");
    assert_eq!(sessions.peak_overlap(), SESSIONS, "{transport}");
    server.shutdown().expect("stopped");
}

#[test]
fn the_threaded_server_draws_a_lane_per_connection() {
    // The recorder keeps every span in the process: no other test's
    // connections may be open beside these.
    if !alone_in_process(
        module_path!(),
        "the_threaded_server_draws_a_lane_per_connection",
    ) {
        return;
    }
    a_lane_per_connection_all_open_at_once(Transport::Threads);
}

#[test]
fn the_async_server_draws_a_lane_per_connection() {
    if !alone_in_process(
        module_path!(),
        "the_async_server_draws_a_lane_per_connection",
    ) {
        return;
    }
    a_lane_per_connection_all_open_at_once(Transport::Async);
}

#[test]
fn the_demo_traces_every_connection_of_both_servers() {
    let trace = TraceFile::new("demo");
    let stdout = accepted(EXE, &["--sessions", "3", "--trace", trace.arg()]);
    assert!(
        stdout.contains(&format!("trace: {}", trace.arg())),
        "{stdout}"
    );
    // Every span that began ended (`read` checks).
    let spans = ChromeTrace::read(&trace.0);
    // The book's game on each server (one connection each), then three
    // sessions at once against each.
    assert_eq!(spans.count("connection"), 2 + 2 * 3, "{spans:?}");
    assert_eq!(spans.peak("connection"), 3, "the load's sessions overlap");
    assert!(spans.lanes("connection") >= 3, "{spans:?}");
    assert!(
        spans.count("request") > spans.count("connection"),
        "{spans:?}"
    );
}

#[test]
fn the_load_client_traces_a_lane_per_session() {
    let server =
        BackgroundServer::start_local(Transport::Async, ServerOptions::seeded(8)).expect("started");
    let trace = TraceFile::new("load");
    let port = server.local_addr().port().to_string();
    let sessions = SESSIONS.to_string();
    let stdout = accepted(
        EXE,
        &[
            "load",
            "--port",
            &port,
            "--sessions",
            &sessions,
            "--trace",
            trace.arg(),
        ],
    );
    assert!(
        stdout.contains(&format!("trace: {}", trace.arg())),
        "{stdout}"
    );
    let spans = ChromeTrace::read(&trace.0);
    assert_eq!(spans.count("session"), SESSIONS, "{spans:?}");
    assert_eq!(spans.lanes("session"), SESSIONS, "{spans:?}");
    assert_eq!(spans.peak("session"), SESSIONS, "{spans:?}");
    server.shutdown().expect("stopped");
}

#[test]
fn a_trace_file_that_cannot_be_written_is_refused_before_a_server_starts() {
    for args in [&[][..], &["serve", "--port", "0"], &["load", "--port", "1"]] {
        course_support::testing::refuses_an_unwritable_trace(EXE, args);
    }
}
