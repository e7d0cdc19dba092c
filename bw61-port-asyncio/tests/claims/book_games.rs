//! The book's program, both versions: the same games, the same wire protocol.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::thread::{self, JoinHandle};

use bw61_port_asyncio::background::{BackgroundServer, Transport};
use bw61_port_asyncio::client::{
    BOOK_GAMES, GameSpec, Outcome, REQUESTS_PER_SESSION, SessionRecord,
};
use bw61_port_asyncio::protocol::Decision::{self, Colder, Correct, Unsure};
use bw61_port_asyncio::server::ServerOptions;
use bw61_port_asyncio::{BOOK_SEED, asynchronous, threaded};
use futures::{StreamExt, TryStreamExt};

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

/// A scripted server for one connection: it answers each `NUMBER` with the
/// next of `guesses`, counts the answers as it sends them, and returns every
/// line it received once the client has gone.
fn guessing_script(
    guesses: &'static [i64],
) -> (SocketAddr, Arc<AtomicUsize>, JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let addr = listener.local_addr().expect("bound");
    let answered = Arc::new(AtomicUsize::new(0));
    let script = thread::spawn({
        let answered = Arc::clone(&answered);
        move || {
            let (stream, _) = listener.accept().expect("the client connects");
            let mut writer = stream.try_clone().expect("a second handle");
            let mut received = Vec::new();
            for line in BufReader::new(stream).lines() {
                let line = line.expect("a text line");
                if line == "NUMBER" {
                    let guess = guesses[answered.fetch_add(1, SeqCst)];
                    writeln!(writer, "{guess}").expect("the client reads");
                }
                received.push(line);
            }
            received
        }
    });
    (addr, answered, script)
}

/// The guesses both `request_numbers` tests script, and the lines the client
/// must send for them: the book's first game ends at `Correct` without a
/// fifth `NUMBER`; the second is cut short by a count of 2.
const SCRIPTED: &[i64] = &[4, 1, 5, 3, 11, 10];
const SHORT: GameSpec = GameSpec {
    lower: 10,
    upper: 15,
    secret: 12,
};
const SCRIPTED_WIRE: [&str; 16] = [
    "PARAMS 1 5",
    "NUMBER",
    "REPORT Unsure",
    "NUMBER",
    "REPORT Colder",
    "NUMBER",
    "REPORT Unsure",
    "NUMBER",
    "REPORT Correct",
    "PARAMS 0 -1",
    "PARAMS 10 15",
    "NUMBER",
    "REPORT Unsure",
    "NUMBER",
    "REPORT Colder",
    "PARAMS 0 -1",
];

/// The threaded `request_numbers` is an iterator pulled one round at a time,
/// like the book's generator: taking the first item has played one round
/// and no more, and the rounds end at `Correct` or at the count.
#[test]
fn request_numbers_iterator_plays_a_round_per_item() {
    let (addr, answered, script) = guessing_script(SCRIPTED);
    let mut client = threaded::Client::connect(addr).expect("connected");
    let first_game = client
        .session(BOOK_GAMES[0], |client| {
            let mut numbers = client.request_numbers(REQUESTS_PER_SESSION);
            let first = numbers.next().expect("a first round")?;
            assert_eq!(answered.load(SeqCst), 1, "one item, one round");
            let mut outcomes = vec![first];
            for outcome in numbers {
                outcomes.push(outcome?);
            }
            Ok(outcomes)
        })
        .expect("the scripted game");
    assert_eq!(first_game, book_run()[0].outcomes);
    let short_game: Vec<Outcome> = client
        .session(SHORT, |client| client.request_numbers(2).collect())
        .expect("the scripted game");
    assert_eq!(short_game, outcomes(&[(11, Unsure), (10, Colder)]));
    client.close().expect("a clean end");
    assert_eq!(script.join().expect("the script ran"), SCRIPTED_WIRE);
}

/// The async `request_numbers` is a `Stream` with the same behaviour: one
/// round per `next().await`, ending at `Correct` or at the count, consumed
/// with `while let` or `try_collect`.
#[tokio::test]
async fn request_numbers_stream_plays_a_round_per_item() {
    let (addr, answered, script) = guessing_script(SCRIPTED);
    let mut client = asynchronous::Client::connect(addr)
        .await
        .expect("connected");
    let first_game = client
        .session(BOOK_GAMES[0], async |client| {
            let mut numbers = pin!(client.request_numbers(REQUESTS_PER_SESSION));
            let first = numbers.next().await.expect("a first round")?;
            assert_eq!(answered.load(SeqCst), 1, "one item, one round");
            let mut outcomes = vec![first];
            while let Some(outcome) = numbers.next().await {
                outcomes.push(outcome?);
            }
            Ok(outcomes)
        })
        .await
        .expect("the scripted game");
    assert_eq!(first_game, book_run()[0].outcomes);
    let short_game: Vec<Outcome> = client
        .session(SHORT, async |client| {
            client.request_numbers(2).try_collect().await
        })
        .await
        .expect("the scripted game");
    assert_eq!(short_game, outcomes(&[(11, Unsure), (10, Colder)]));
    client.close().await.expect("a clean end");
    let received = tokio::task::spawn_blocking(move || script.join().expect("the script ran"))
        .await
        .expect("joined");
    assert_eq!(received, SCRIPTED_WIRE);
}
