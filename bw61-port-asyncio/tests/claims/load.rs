//! The load runs of the README's figures: 10,000 sessions open at once
//! against the async server and 1,000 against the threaded one, each played
//! to `Correct`, with sessions per second and the server's peak memory.
//!
//! Heavy, so ignored by default. Run them in release mode with:
//!
//! ```text
//! cargo test -p bw61-port-asyncio --release --test claims load:: -- --ignored --nocapture
//! ```
//!
//! Each run is bounded: the client gives up after a minute, and is killed ten
//! seconds after that.

use std::path::Path;
use std::sync::{Mutex, PoisonError};

use bw61_port_asyncio::background::Transport;
use bw61_port_asyncio::load::{self, LoadPlan};
use course_support::fmt_duration;

const CLIENT: &str = env!("CARGO_BIN_EXE_bw61-port-asyncio");

/// Both tests read this process's peak memory, so they must not overlap.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn run(transport: Transport, sessions: usize) {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
    let measured = load::measure(transport, &LoadPlan::new(sessions), Path::new(CLIENT))
        .unwrap_or_else(|e| panic!("{transport} server, {sessions} sessions: {e}"));
    measured.verify().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(measured.server.sessions_solved, sessions as u64);
    assert_eq!(measured.server.peak_open, sessions);
    let memory = match (
        measured.extra_kib(),
        measured.kib_per_session(),
        measured.baseline_kib,
    ) {
        (Some(extra), Some(per_session), Some(baseline)) => format!(
            "server peak memory +{:.1} MiB ({per_session:.1} KiB per session; {baseline} KiB before the clients came)",
            extra as f64 / 1024.0
        ),
        _ => "server peak memory not measured on this system".to_owned(),
    };
    println!(
        "{transport} server: {sessions} sessions open at once, all Correct, in {} = {:.0} sessions/s; {memory} [{}]",
        fmt_duration(measured.report.elapsed),
        measured.report.sessions_per_sec(),
        course_support::build_profile()
    );
}

#[test]
#[ignore = "heavy: 10,000 connections; run with -- --ignored"]
fn async_server_plays_10000_concurrent_sessions() {
    run(Transport::Async, 10_000);
}

#[test]
#[ignore = "heavy: 1,000 threads; run with -- --ignored"]
fn threaded_server_plays_1000_concurrent_sessions() {
    run(Transport::Threads, 1_000);
}
