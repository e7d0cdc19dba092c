//! The checks of this lesson's exercises.
//!
//! By default they run against the reference answers in `solutions/`, so
//! `cargo test --workspace` proves the checks pass on a right answer; with
//! `--features exercises` they run against your files in `exercises/`:
//!
//! ```text
//! cargo test -p bw61-port-asyncio --features exercises --test exercises
//! ```
//!
//! Each catalogued mistake in `tests/mistakes/` must be rejected by its
//! exercise's check, with the words a learner would need; the `mistake_*`
//! tests prove it (without the feature only).

use std::future::Future;
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::thread;
use std::time::Duration;

use bw61_port_asyncio::asynchronous::Client;
use bw61_port_asyncio::client::{
    GameSpec, Outcome, PlayError, REQUESTS_PER_SESSION, SessionRecord,
};
use bw61_port_asyncio::protocol::Decision::{self, Colder, Correct, Unsure};
use bw61_port_asyncio::server::{Connection, ConnectionEnd, ServerOptions, Shared};
use bw61_port_asyncio::threaded;
use course_support::InFlight;
use course_support::exercise::{Exercise, OverlapProbe, verdict};
use futures::StreamExt;
use futures::stream::BoxStream;
use tokio::net::TcpStream;
use tokio::task::JoinSet;

#[cfg_attr(
    feature = "exercises",
    path = "../exercises/1_port_the_handler.rs",
    allow(clippy::todo, unused_variables)
)]
#[cfg_attr(
    not(feature = "exercises"),
    path = "../solutions/1_port_the_handler.rs"
)]
#[allow(unreachable_pub)]
mod port_the_handler;

#[cfg_attr(
    feature = "exercises",
    path = "../exercises/2_request_numbers.rs",
    allow(clippy::todo, unused_variables)
)]
#[cfg_attr(not(feature = "exercises"), path = "../solutions/2_request_numbers.rs")]
#[allow(unreachable_pub)]
mod request_numbers;

/// Long enough for any of these runs on a busy machine; only a stuck answer
/// reaches it.
const STUCK: Duration = Duration::from_secs(10);

/// A one-thread runtime, asyncio's model: a task that blocks stops them all.
fn one_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime starts")
}

const EX_61_1: Exercise =
    Exercise::new("61.1", "bw61-port-asyncio/exercises/1_port_the_handler.rs");

/// Clients that play at once.
const CLIENTS: usize = 12;

/// How long a client waits for one reply before it gives up: seconds, where
/// a served client waits milliseconds.
const REPLY_WAIT: Duration = Duration::from_secs(5);

/// Client `i`'s game: five numbers, so five guesses always find the secret.
fn game(i: usize) -> GameSpec {
    let lower = 10 * i as i64 + 1;
    GameSpec {
        lower,
        upper: lower + 4,
        secret: lower + (i % 5) as i64,
    }
}

/// One client, on a thread of its own with the threaded client: after its
/// first guess it holds in `probe` until every client has had one.
fn play(
    addr: SocketAddr,
    spec: GameSpec,
    probe: &OverlapProbe,
) -> Result<SessionRecord, PlayError> {
    let stream = std::net::TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(REPLY_WAIT))?;
    let mut client = threaded::Client::new(stream)?;
    let outcomes = client.session(spec, |client| {
        let first = client.request_number()?;
        probe.hold();
        let decision = client.report_outcome(first)?;
        let mut outcomes = vec![Outcome {
            number: first,
            decision,
        }];
        if decision != Correct {
            for outcome in client.request_numbers(REQUESTS_PER_SESSION - 1) {
                outcomes.push(outcome?);
            }
        }
        Ok(outcomes)
    })?;
    client.close()?;
    Ok(SessionRecord { spec, outcomes })
}

/// Exercise 61.1's check: a task-per-connection server on one thread,
/// twelve clients at once.
fn check_port_the_handler<F>(serve_connection: fn(TcpStream, Connection) -> F) -> Result<(), String>
where
    F: Future<Output = ConnectionEnd> + Send + 'static,
{
    let ex = EX_61_1;
    // Each client holds after its first guess until all twelve have had
    // theirs, or for a second: a server that serves them all at once shows
    // twelve sessions in flight; one that serves one at a time shows one.
    let probe = Arc::new(OverlapProbe::new(CLIENTS, Duration::from_secs(1)));
    let (ends, records, handlers_peak, solved) = ex.run("your server", STUCK, {
        let probe = Arc::clone(&probe);
        move || {
            let runtime = one_thread();
            let listener = runtime
                .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
                .expect("loopback works");
            let addr = listener.local_addr().expect("bound");
            let shared = Shared::new(ServerOptions::seeded(61));
            let handlers = Arc::new(InFlight::new());
            let server = {
                let (shared, handlers) = (Arc::clone(&shared), Arc::clone(&handlers));
                async move {
                    let mut tasks = JoinSet::new();
                    for _ in 0..CLIENTS {
                        let (stream, _) = listener.accept().await.expect("a client connects");
                        let (connection, handlers) = (shared.connection(), Arc::clone(&handlers));
                        tasks.spawn(async move {
                            let _in_flight = handlers.enter();
                            serve_connection(stream, connection).await
                        });
                    }
                    tasks.join_all().await
                }
            };
            thread::scope(|s| {
                let clients: Vec<_> = (0..CLIENTS)
                    .map(|i| {
                        let probe = &probe;
                        s.spawn(move || play(addr, game(i), probe))
                    })
                    .collect();
                let ends = runtime.block_on(server);
                let records: Vec<_> = clients
                    .into_iter()
                    .map(|client| client.join().expect("a client does not panic"))
                    .collect();
                let solved = shared.stats().snapshot().sessions_solved;
                (ends, records, handlers.peak(), solved)
            })
        }
    })?;

    for (i, record) in records.iter().enumerate() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let what = match error {
                    PlayError::Io(io)
                        if matches!(
                            io.kind(),
                            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                        ) =>
                    {
                        format!(
                            "client {i} waited {} s for a reply and got none",
                            REPLY_WAIT.as_secs()
                        )
                    }
                    other => format!("client {i}'s session failed: {other}"),
                };
                return Err(ex.fail(
                    what,
                    "every NUMBER needs its reply at once: `.await` the `write_all` of each \
                     reply, and if you wrapped the writer in a `BufWriter`, flush it after each",
                ));
            }
        };
        let last = record.outcomes.last();
        ex.ensure(
            record.solved() && last.is_some_and(|o| o.number == record.spec.secret),
            || {
                format!(
                    "client {i}'s session ended without Correct: {:?}",
                    record.outcomes
                )
            },
            "answer every line through `connection.on_line`, the game logic, unchanged",
        )?;
    }
    let peak = probe.peak();
    ex.ensure(
        peak == CLIENTS,
        || {
            format!(
                "your server had at most {peak} session in flight at a time (server tasks in \
                 flight: {handlers_peak}); a task per connection should serve all {CLIENTS} at once"
            )
        },
        "a std socket's `read` blocks the runtime's only thread until its client speaks: use \
         tokio's socket halves and `.await` every read and write",
    )?;
    ex.ensure(
        solved == CLIENTS as u64,
        || format!("the server counted {solved} solved sessions of {CLIENTS}"),
        "pass every line to `connection.on_line`: it keeps the score",
    )?;
    let not_closed: Vec<_> = ends
        .iter()
        .enumerate()
        .filter(|(_, end)| **end != ConnectionEnd::Closed)
        .collect();
    ex.ensure(
        not_closed.is_empty(),
        || format!("connections ended as {not_closed:?}; each client left cleanly (Closed)"),
        "return the `ConnectionEnd` that `Step::End` carries",
    )
}

#[test]
fn exercise_61_1_port_the_handler() {
    verdict(check_port_the_handler(port_the_handler::serve_connection));
}

const EX_61_2: Exercise = Exercise::new("61.2", "bw61-port-asyncio/exercises/2_request_numbers.rs");

/// The learner's `request_numbers`.
type RequestNumbers = fn(&mut Client, usize) -> BoxStream<'_, Result<Outcome, PlayError>>;

/// The scripted server's answers to `NUMBER`, in order; `None` is an
/// `ERROR` line. Past the end it answers `2`, so a wrong answer that asks
/// for more is counted, not stuck.
const SCRIPT: [Option<i64>; 7] = [Some(4), Some(1), Some(5), Some(3), Some(11), Some(10), None];

/// The three sessions the check plays: the book's first game (ends at
/// `Correct`), its second cut to a count of 2, and one whose first request
/// fails.
const FIRST: GameSpec = GameSpec {
    lower: 1,
    upper: 5,
    secret: 3,
};
const SECOND: GameSpec = GameSpec {
    lower: 10,
    upper: 15,
    secret: 12,
};

/// What the scripted server must receive.
const WIRE: [&str; 19] = [
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
    "PARAMS 1 5",
    "NUMBER",
    "PARAMS 0 -1",
];

fn outcomes(pairs: &[(i64, Decision)]) -> Vec<Outcome> {
    pairs
        .iter()
        .map(|&(number, decision)| Outcome { number, decision })
        .collect()
}

/// What the check saw of one run of the learner's stream.
struct Streamed {
    first: Option<Result<Outcome, PlayError>>,
    answered_after_first: usize,
    rest: Vec<Result<Outcome, PlayError>>,
    answered_after: [usize; 3],
    second: Vec<Result<Outcome, PlayError>>,
    failing: Vec<Result<Outcome, PlayError>>,
    wire: Vec<String>,
}

/// Plays the three sessions with the learner's stream against the scripted
/// server, on a one-thread runtime.
fn stream_sessions(request_numbers: RequestNumbers) -> Result<Streamed, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("loopback works");
    let addr = listener.local_addr().expect("bound");
    let answered = Arc::new(AtomicUsize::new(0));
    let script = thread::spawn({
        let answered = Arc::clone(&answered);
        move || {
            let (stream, _) = listener.accept().expect("the client connects");
            let mut writer = stream.try_clone().expect("a second handle");
            let mut received = Vec::new();
            for line in BufReader::new(stream).lines() {
                let Ok(line) = line else { break };
                if line == "NUMBER" {
                    let answer = SCRIPT.get(answered.fetch_add(1, SeqCst)).copied();
                    let reply = match answer.unwrap_or(Some(2)) {
                        Some(number) => format!("{number}\n"),
                        None => "ERROR scripted failure\n".to_owned(),
                    };
                    if writer.write_all(reply.as_bytes()).is_err() {
                        break;
                    }
                }
                received.push(line);
            }
            received
        }
    });
    let streamed = EX_61_2.run("request_numbers", STUCK, move || {
        one_thread().block_on(async move {
            let mut client = Client::connect(addr).await.expect("the script listens");
            let mut after = [0; 3];
            let (first, answered_after_first, rest) = client
                .session(FIRST, async |client| {
                    let mut numbers = request_numbers(client, REQUESTS_PER_SESSION);
                    let first = numbers.next().await;
                    let answered_after_first = answered.load(SeqCst);
                    let rest: Vec<_> = numbers.collect().await;
                    Ok((first, answered_after_first, rest))
                })
                .await
                .expect("the scripted server takes every line");
            after[0] = answered.load(SeqCst);
            let second = client
                .session(SECOND, async |client| {
                    Ok(request_numbers(client, 2).collect::<Vec<_>>().await)
                })
                .await
                .expect("the scripted server takes every line");
            after[1] = answered.load(SeqCst);
            let failing = client
                .session(FIRST, async |client| {
                    Ok(request_numbers(client, 3).collect::<Vec<_>>().await)
                })
                .await
                .expect("the scripted server takes every line");
            after[2] = answered.load(SeqCst);
            client.close().await.expect("the script closes in turn");
            (first, answered_after_first, rest, after, second, failing)
        })
    })?;
    let (first, answered_after_first, rest, answered_after, second, failing) = streamed;
    let wire = script.join().expect("the script does not panic");
    Ok(Streamed {
        first,
        answered_after_first,
        rest,
        answered_after,
        second,
        failing,
        wire,
    })
}

/// Exercise 61.2's check.
fn check_request_numbers(request_numbers: RequestNumbers) -> Result<(), String> {
    let ex = EX_61_2;
    let run = stream_sessions(request_numbers)?;
    let shown = |items: &[Result<Outcome, PlayError>]| -> Vec<String> {
        items
            .iter()
            .map(|item| match item {
                Ok(outcome) => outcome.to_string(),
                Err(error) => format!("Err({error})"),
            })
            .collect()
    };
    ex.ensure(
        run.answered_after_first == 1,
        || {
            format!(
                "when your stream yielded its first item the server had already answered {} \
                 requests for a guess; a stream plays a round only when it is polled",
                run.answered_after_first
            )
        },
        "play one round per step of `stream::unfold`; playing the rounds first and streaming a \
         `Vec` is a list, not a generator",
    )?;
    let first: Vec<_> = run.first.into_iter().chain(run.rest).collect();
    let book = outcomes(&[(4, Unsure), (1, Colder), (5, Unsure), (3, Correct)]);
    ex.ensure(
        first.len() >= 4 && first[..4].iter().zip(&book).all(|(got, want)| got.as_ref().ok() == Some(want)),
        || format!("the first session's items were {:?}; the book's game is 4 is Unsure, 1 is Colder, 5 is Unsure, 3 is Correct", shown(&first)),
        "each item is one round: `request_number()`, then `report_outcome(number)` on that \
         number",
    )?;
    let extra = run.answered_after[0].saturating_sub(4);
    ex.ensure(
        first.len() == 4 && extra == 0,
        || format!("your stream asked for {extra} more guess after Correct"),
        "end the stream once a round's decision is `Correct`: the book's generator returns when \
         `last_distance == 0`",
    )?;
    let asked = run.answered_after[1] - run.answered_after[0];
    ex.ensure(
        asked == 2 && run.second.len() == 2,
        || {
            format!(
                "with a count of 2 your stream asked for {asked} guesses and yielded {:?}",
                shown(&run.second)
            )
        },
        "count the rounds: at most `count` items",
    )?;
    let asked = run.answered_after[2] - run.answered_after[1];
    let ends_with_error = matches!(
        run.failing.as_slice(),
        [Err(PlayError::Server(reason))] if reason == "scripted failure"
    );
    ex.ensure(
        asked == 1 && ends_with_error,
        || {
            format!(
                "when the first request failed your stream asked for {asked} guesses and yielded \
                 {:?}; it must yield the error and end",
                shown(&run.failing)
            )
        },
        "yield a failed round's `Err` as the last item: set the rounds left to 0",
    )?;
    ex.ensure(
        run.wire == WIRE,
        || format!("the server received {:?}", run.wire),
        "each `NUMBER` is followed by its `REPORT` before the next `NUMBER`",
    )
}

#[test]
fn exercise_61_2_request_numbers() {
    verdict(check_request_numbers(request_numbers::request_numbers));
}

/// Wrong answers the checks must reject, each with the words that point to
/// its fix.
#[cfg(not(feature = "exercises"))]
#[allow(unreachable_pub)]
mod mistakes {
    use super::*;
    use course_support::exercise::rejected;

    #[path = "1_blocking_reads.rs"]
    mod blocking_reads;
    #[path = "1_unflushed_writer.rs"]
    mod unflushed_writer;

    #[path = "2_ignores_correct.rs"]
    mod ignores_correct;
    #[path = "2_plays_every_round_first.rs"]
    mod plays_every_round_first;

    #[test]
    fn mistake_61_1_blocking_reads() {
        rejected(
            check_port_the_handler(blocking_reads::serve_connection),
            "your server had at most 1 session in flight at a time",
        );
    }

    #[test]
    fn mistake_61_1_unflushed_writer() {
        rejected(
            check_port_the_handler(unflushed_writer::serve_connection),
            "waited 5 s for a reply and got none",
        );
    }

    #[test]
    fn mistake_61_2_plays_every_round_first() {
        rejected(
            check_request_numbers(plays_every_round_first::request_numbers),
            "had already answered 4 requests for a guess",
        );
    }

    #[test]
    fn mistake_61_2_ignores_correct() {
        rejected(
            check_request_numbers(ignores_correct::request_numbers),
            "asked for 1 more guess after Correct",
        );
    }
}
