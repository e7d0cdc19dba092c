//! The book's program, both versions: the same games, the same wire protocol.

use bw61_port_asyncio::background::{BackgroundServer, Transport};
use bw61_port_asyncio::client::{BOOK_GAMES, Outcome, REQUESTS_PER_SESSION, SessionRecord};
use bw61_port_asyncio::protocol::Decision::{self, Colder, Correct, Unsure};
use bw61_port_asyncio::server::ServerOptions;
use bw61_port_asyncio::{BOOK_SEED, asynchronous, threaded};

fn outcomes(pairs: &[(i64, Decision)]) -> Vec<Outcome> {
    pairs
        .iter()
        .map(|&(number, decision)| Outcome { number, decision })
        .collect()
}

/// The run printed in the book.
fn book_run() -> Vec<SessionRecord> {
    vec![
        SessionRecord {
            spec: BOOK_GAMES[0],
            outcomes: outcomes(&[(4, Unsure), (1, Colder), (5, Unsure), (3, Correct)]),
        },
        SessionRecord {
            spec: BOOK_GAMES[1],
            outcomes: outcomes(&[(11, Unsure), (10, Colder), (12, Correct)]),
        },
    ]
}

#[test]
fn threaded_version_replays_the_book() {
    let server =
        threaded::ServerHandle::start(([127, 0, 0, 1], 0).into(), ServerOptions::seeded(BOOK_SEED))
            .expect("the server starts");
    let records = threaded::run_client(server.local_addr()).expect("the client plays");
    assert_eq!(records, book_run());
    // `run_client` waits for the server to close, so the counts are final.
    let stats = server.shutdown().expect("the server stops");
    assert_eq!(
        (
            stats.accepted,
            stats.closed,
            stats.sessions_started,
            stats.sessions_solved
        ),
        (1, 1, 2, 2)
    );
}

#[tokio::test]
async fn async_version_replays_the_book() {
    let server = asynchronous::ServerHandle::start(
        ([127, 0, 0, 1], 0).into(),
        ServerOptions::seeded(BOOK_SEED),
    )
    .await
    .expect("the server starts");
    let records = asynchronous::run_client(server.local_addr())
        .await
        .expect("the client plays");
    assert_eq!(records, book_run());
    let stats = server.shutdown().await.expect("the server stops");
    assert_eq!(
        (
            stats.accepted,
            stats.closed,
            stats.sessions_started,
            stats.sessions_solved
        ),
        (1, 1, 2, 2)
    );
}

/// Either client plays against either server: the port did not change a byte
/// on the wire.
#[test]
fn clients_and_servers_of_both_versions_interoperate() {
    for transport in Transport::BOTH {
        let server = BackgroundServer::start_local(transport, ServerOptions::seeded(BOOK_SEED))
            .expect("started");
        let addr = server.local_addr();
        // Connection 0 (the threaded client) plays the book's game.
        assert_eq!(
            threaded::run_client(addr).expect("threaded client"),
            book_run(),
            "{transport}"
        );
        // Connection 1 (the async client) plays another, equally valid one.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let records = runtime
            .block_on(asynchronous::run_client(addr))
            .expect("async client");
        assert_valid(&records);
        let stats = server.shutdown().expect("stopped");
        assert_eq!(
            (stats.closed, stats.rejected),
            (2, 0),
            "{transport}: {stats:?}"
        );
    }
}

/// What any run must satisfy: distinct guesses inside the range, at most
/// five, and `Correct` exactly when the secret was guessed, as the last one.
fn assert_valid(records: &[SessionRecord]) {
    assert_eq!(records.len(), BOOK_GAMES.len());
    for record in records {
        let spec = record.spec;
        let numbers: Vec<i64> = record.outcomes.iter().map(|o| o.number).collect();
        assert!(
            !numbers.is_empty() && numbers.len() <= REQUESTS_PER_SESSION,
            "{record:?}"
        );
        assert!(
            numbers
                .iter()
                .all(|n| (spec.lower..=spec.upper).contains(n)),
            "{record:?}"
        );
        let mut distinct = numbers.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(
            distinct.len(),
            numbers.len(),
            "no guess repeated: {record:?}"
        );
        for (i, outcome) in record.outcomes.iter().enumerate() {
            let is_last = i + 1 == record.outcomes.len();
            assert_eq!(
                outcome.decision == Correct,
                outcome.number == spec.secret,
                "{record:?}"
            );
            if outcome.decision == Correct {
                assert!(is_last, "play stops at Correct: {record:?}");
            }
        }
        if numbers.len() < REQUESTS_PER_SESSION {
            assert!(
                record.solved(),
                "only a Correct ends a session early: {record:?}"
            );
        }
    }
}

/// With the same seed, the threaded and the async server guess alike, for
/// any seed: the guessing is the shared code, not the transport's.
#[test]
fn both_servers_play_the_same_game_for_any_seed() {
    for seed in [0, 1, 2, 61, 1234, u64::MAX] {
        let mut runs = Vec::new();
        for transport in Transport::BOTH {
            let server = BackgroundServer::start_local(transport, ServerOptions::seeded(seed))
                .expect("started");
            let records = threaded::run_client(server.local_addr()).expect("the client plays");
            assert_valid(&records);
            runs.push(records);
            server.shutdown().expect("stopped");
        }
        assert_eq!(runs[0], runs[1], "seed {seed}");
    }
}
