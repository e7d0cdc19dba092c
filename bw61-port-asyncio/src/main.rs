//! The narrated demo of item 61, and the `serve`, `play` and `load` commands.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use anyhow::{Context, bail, ensure};
use bw61_port_asyncio::background::Transport;
use bw61_port_asyncio::client::{BOOK_GAMES, Outcome, SessionRecord};
use bw61_port_asyncio::load::{self, LoadPlan, Measurement};
use bw61_port_asyncio::server::{ServerOptions, StatsSnapshot};
use bw61_port_asyncio::session::Event;
use bw61_port_asyncio::{BOOK_SEED, asynchronous, port_size, threaded};
use clap::{Args, Parser, Subcommand};
use course_support::timeline::{Lanes, TraceArgs};
use course_support::{fmt_duration, memory};

#[derive(Parser)]
#[command(
    about = "Item 61: know how to port threaded I/O to asyncio (a number-guessing server, threads then tokio)",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Mode>,
    #[command(flatten)]
    demo: DemoArgs,
}

#[derive(Args)]
struct DemoArgs {
    /// Seeds the servers' guesses; the default replays the book's printed game.
    #[arg(long, default_value_t = BOOK_SEED)]
    seed: u64,
    /// Concurrent sessions against each server in step 3 (0 skips it).
    #[arg(long, default_value_t = 1000)]
    sessions: usize,
    #[command(flatten)]
    trace: TraceArgs,
}

#[derive(Subcommand)]
enum Mode {
    /// Run a server until Ctrl-C, printing the book's "Server: ..." lines.
    Serve {
        #[command(flatten)]
        at: Address,
        #[command(flatten)]
        transport: TransportFlag,
        /// Seeds the guesses.
        #[arg(long, default_value_t = BOOK_SEED)]
        seed: u64,
        #[command(flatten)]
        trace: TraceArgs,
    },
    /// Play the book's two sessions against a running server.
    Play {
        #[command(flatten)]
        at: Address,
        #[command(flatten)]
        transport: TransportFlag,
    },
    /// Play many sessions at once against a running server (async client).
    Load {
        #[command(flatten)]
        at: Address,
        /// Sessions, each on its own connection, all open at once.
        #[arg(long, default_value_t = 10_000)]
        sessions: usize,
        /// Connection handshakes in flight at most.
        #[arg(long, default_value_t = 256)]
        connects: usize,
        /// Give up after this long (like 60s or 500ms).
        #[arg(long, default_value = "60s", value_parser = course_support::parse_duration)]
        deadline: Duration,
        #[command(flatten)]
        trace: TraceArgs,
    },
}

#[derive(Args)]
struct Address {
    /// The server's port (the book uses 1234).
    #[arg(long, default_value_t = 1234)]
    port: u16,
    /// The server's address.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    host: IpAddr,
}

impl Address {
    fn socket(&self) -> SocketAddr {
        SocketAddr::new(self.host, self.port)
    }
}

#[derive(Args)]
#[group(multiple = false)]
struct TransportFlag {
    /// Blocking std sockets, a thread per connection (the book's first version).
    #[arg(long)]
    threads: bool,
    /// tokio sockets, a task per connection (the port; the default).
    #[arg(long = "async")]
    asynchronous: bool,
}

impl TransportFlag {
    fn transport(&self) -> Transport {
        if self.threads {
            Transport::Threads
        } else {
            Transport::Async
        }
    }
}

fn main() {
    let cli = Cli::parse();
    // Before any work, so a trace file that cannot be written stops the run
    // before a server listens. A lane per top-level span: per connection on
    // the servers (a thread's or a task's, alike), per session in `load`.
    let no_trace = TraceArgs::default();
    let trace = match &cli.command {
        None => &cli.demo.trace,
        Some(Mode::Serve { trace, .. } | Mode::Load { trace, .. }) => trace,
        // One connection, one session after another: nothing to draw.
        Some(Mode::Play { .. }) => &no_trace,
    };
    let tracing = match trace.install(Lanes::Tasks) {
        Ok(tracing) => tracing,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(1);
        }
    };
    let result = match cli.command {
        None => demo(&cli.demo),
        Some(Mode::Serve {
            at,
            transport,
            seed,
            trace: _,
        }) => serve(at.socket(), transport.transport(), seed),
        Some(Mode::Play { at, transport }) => play(at.socket(), transport.transport()),
        Some(Mode::Load {
            at,
            sessions,
            connects,
            deadline,
            trace: _,
        }) => run_load(at.socket(), sessions, connects, deadline),
    };
    // The trace is completed even after an error: it shows what ran.
    tracing.close();
    if let Err(error) = result {
        eprintln!("error: {error:#}");
        std::process::exit(1);
    }
}

/// Events a server reported, in order, for the demo to print afterwards.
type Heard = Arc<Mutex<Vec<Event>>>;

fn recording(seed: u64) -> (ServerOptions, Heard) {
    let heard = Heard::default();
    let sink = Arc::clone(&heard);
    let options = ServerOptions::seeded(seed).with_events(move |_, event| {
        sink.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(*event);
    });
    (options, heard)
}

/// One version of the book's program: its client's records, what its server
/// heard, and the server's final statistics.
struct Played {
    records: Vec<SessionRecord>,
    heard: Vec<Event>,
    stats: StatsSnapshot,
}

fn local() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

fn play_threaded(seed: u64) -> anyhow::Result<Played> {
    let (options, heard) = recording(seed);
    // The book's `main`: the server on a thread, the client on this one.
    let server = threaded::ServerHandle::start(local(), options)
        .context("cannot start the threaded server")?;
    let records =
        threaded::run_client(server.local_addr()).context("the threaded client failed")?;
    // Joining every connection thread also means the server has heard all.
    let stats = server
        .shutdown()
        .context("the threaded server did not stop cleanly")?;
    let heard = std::mem::take(&mut *heard.lock().unwrap_or_else(PoisonError::into_inner));
    Ok(Played {
        records,
        heard,
        stats,
    })
}

fn play_async(seed: u64) -> anyhow::Result<Played> {
    let (options, heard) = recording(seed);
    // The book's `asyncio.run(main_async())`: one event loop, one thread,
    // running the server's tasks and the client together.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (records, stats) = runtime.block_on(async {
        let server = asynchronous::ServerHandle::start(local(), options)
            .await
            .context("cannot start the async server")?;
        let records = asynchronous::run_client(server.local_addr())
            .await
            .context("the async client failed")?;
        let stats = server
            .shutdown()
            .await
            .context("the async server did not stop cleanly")?;
        anyhow::Ok((records, stats))
    })?;
    let heard = std::mem::take(&mut *heard.lock().unwrap_or_else(PoisonError::into_inner));
    Ok(Played {
        records,
        heard,
        stats,
    })
}

/// The reports a server heard, split into sessions at each `Started`.
fn heard_by_session(heard: &[Event]) -> Vec<Vec<Outcome>> {
    let mut sessions: Vec<Vec<Outcome>> = Vec::new();
    for event in heard {
        match *event {
            Event::Started { .. } => sessions.push(Vec::new()),
            Event::Reported { guess, decision } => {
                if let Some(session) = sessions.last_mut() {
                    session.push(Outcome {
                        number: guess,
                        decision,
                    });
                }
            }
            Event::Ended | Event::Guessed(_) => {}
        }
    }
    sessions
}

/// Checks one version's run: every session solved, and the server heard
/// exactly the reports the client sent, session by session.
fn verify(played: &Played, name: &str) -> anyhow::Result<()> {
    ensure!(
        played.records.len() == BOOK_GAMES.len()
            && played.records.iter().all(SessionRecord::solved),
        "{name}: not every session ended Correct: {:?}",
        played.records
    );
    let client_side: Vec<Vec<Outcome>> =
        played.records.iter().map(|r| r.outcomes.clone()).collect();
    ensure!(
        heard_by_session(&played.heard) == client_side,
        "{name}: the server heard {:?}, the client sent {:?}",
        played.heard,
        client_side
    );
    let s = &played.stats;
    ensure!(
        (s.accepted, s.closed, s.sessions_solved) == (1, 1, 2),
        "{name}: expected one connection closed cleanly and two sessions solved, got {s:?}"
    );
    Ok(())
}

/// Prints a run as the book's program prints it: each session's header with
/// the server's lines, then the client's lines.
fn print_game(played: &Played) {
    for (record, heard) in played.records.iter().zip(heard_by_session(&played.heard)) {
        println!("{}", record.spec);
        for outcome in heard {
            println!("Server: {outcome}");
        }
    }
    for record in &played.records {
        for outcome in &record.outcomes {
            println!("Client: {outcome}");
        }
    }
}

fn demo(args: &DemoArgs) -> anyhow::Result<()> {
    course_support::banner("bw61-port-asyncio: know how to port threaded I/O to asyncio");
    println!(
        "games: 1..5 (secret 3), 10..15 (secret 12), up to 5 guesses each | server seed: {}",
        args.seed
    );
    let steps = if args.sessions > 0 { 3 } else { 2 };

    println!("\n[1/{steps}] threads: std::net sockets, a thread per connection, blocking reads");
    let threads = play_threaded(args.seed)?;
    verify(&threads, "threads")?;
    print_game(&threads);

    println!(
        "\n[2/{steps}] async: tokio sockets, a task per connection, one thread for server and client"
    );
    let tasks = play_async(args.seed)?;
    verify(&tasks, "async")?;
    print_game(&tasks);

    ensure!(
        threads.records == tasks.records,
        "the two versions played different games: {:?} vs {:?}",
        threads.records,
        tasks.records
    );
    println!(
        "ok: both versions solved both sessions, each server heard exactly the client's {} reports,\n    \
         and the two played the same game guess for guess (same seed, same protocol code)",
        threads
            .records
            .iter()
            .map(|r| r.outcomes.len())
            .sum::<usize>()
    );
    let size = port_size::measure();
    println!(
        "the port: threaded.rs has {} code lines, asynchronous.rs {}; {} are identical, {} more differ only by\n    \
         async/.await, {} are new in kind; the {} lines of protocol, session, client and server logic are shared as is",
        size.threaded,
        size.ported,
        size.identical,
        size.same_but_await - size.identical,
        size.changed_in_kind(),
        size.shared
    );

    if args.sessions > 0 {
        many_sessions(args.sessions, steps)?;
    }
    println!(
        "takeaway: porting to async changed only the transport (tokio types, async fn and .await, a task per\n          \
         connection, a Stream for the client's iterator, a cancellation token for shutdown); the protocol\n          \
         code did not move, and each open session costs a task's few KiB instead of a thread's stack."
    );
    Ok(())
}

fn many_sessions(sessions: usize, steps: usize) -> anyhow::Result<()> {
    let exe = std::env::current_exe().context("cannot find this program to run its load client")?;
    let plan = LoadPlan::new(sessions);
    println!(
        "\n[3/{steps}] {sessions} sessions open at once against each server (the client is a child process: `{} load`)",
        env!("CARGO_PKG_NAME")
    );
    let mut runs: Vec<Measurement> = Vec::new();
    // The async server goes first: where the peak memory cannot be reset
    // (macOS), a run is seen only if it rises above every earlier one, and
    // the async server needs the less memory of the two.
    for transport in Transport::BOTH.into_iter().rev() {
        let run = load::measure(transport, &plan, &exe)
            .with_context(|| format!("the {transport} server under load"))?;
        run.verify()?;
        runs.push(run);
    }
    runs.reverse();
    println!(
        "ok: every session was open at the same time on both sides and reached Correct; none failed"
    );
    println!(
        "  {:<8} {:>8} {:>10} {:>11} {:>13} {:>14}",
        "server", "sessions", "time", "sessions/s", "server memory", "per session"
    );
    for run in &runs {
        println!(
            "  {:<8} {:>8} {:>10} {:>11.0} {:>13} {:>14}",
            run.transport.to_string(),
            run.report.sessions,
            fmt_duration(run.report.elapsed),
            run.report.sessions_per_sec(),
            run.extra_kib()
                .map_or_else(memory::unmeasured, |kib| format!(
                    "{:.1} MiB",
                    kib as f64 / 1024.0
                )),
            run.kib_per_session()
                .map_or_else(memory::unmeasured, |kib| format!("{kib:.1} KiB"))
        );
    }
    if let Some(line) = memory::skipped_line() {
        println!("  server memory: {line}");
    }
    if let [threads, tasks] = &runs[..] {
        let memory_ratio = match (tasks.kib_per_session(), threads.kib_per_session()) {
            (Some(tasks), Some(threads)) => {
                format!("{:.2}x", tasks / threads.max(f64::MIN_POSITIVE))
            }
            _ => "(unmeasured)".to_owned(),
        };
        println!(
            "  (baseline: threads) async: {:.2}x the sessions/s, {memory_ratio} the memory per session",
            tasks.report.sessions_per_sec() / threads.report.sessions_per_sec(),
        );
    }
    Ok(())
}

fn serve(addr: SocketAddr, transport: Transport, seed: u64) -> anyhow::Result<()> {
    let options = ServerOptions::seeded(seed)
        .with_events(|_, event| {
            if let Event::Reported { guess, decision } = event {
                println!("Server: {guess} is {decision}");
            }
        })
        .with_accept_errors(|error, failures| {
            // While the server is out of descriptors this repeats every
            // 10 ms; log the first failure and then every hundredth.
            if failures == 1 || failures % 100 == 0 {
                eprintln!("accept failed ({failures} so far): {error}; retrying in 10 ms");
            }
        });
    // Every connection is a descriptor; a server takes what the system allows.
    let files = load::raise_open_file_limit_to_hard()?.map_or_else(
        || "no limit on".to_owned(),
        |files| format!("up to {files}"),
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let stats = match transport {
        Transport::Threads => {
            let server = threaded::ServerHandle::start(addr, options)
                .with_context(|| format!("cannot listen on {addr}"))?;
            println!(
                "listening on {} ({transport}, {files} open files); Ctrl-C stops",
                server.local_addr()
            );
            // The runtime is only used to wait for Ctrl-C; the server is all threads.
            runtime.block_on(tokio::signal::ctrl_c())?;
            server.shutdown()?
        }
        Transport::Async => runtime.block_on(async {
            let server = asynchronous::ServerHandle::start(addr, options)
                .await
                .with_context(|| format!("cannot listen on {addr}"))?;
            println!(
                "listening on {} ({transport}, {files} open files); Ctrl-C stops",
                server.local_addr()
            );
            tokio::signal::ctrl_c().await?;
            anyhow::Ok(server.shutdown().await?)
        })?,
    };
    println!(
        "stopped: {} connections, {} sessions solved, {} rejected, {} abandoned, {} failed accepts",
        stats.accepted, stats.sessions_solved, stats.rejected, stats.abandoned, stats.accept_errors
    );
    Ok(())
}

fn play(addr: SocketAddr, transport: Transport) -> anyhow::Result<()> {
    let records = match transport {
        Transport::Threads => threaded::run_client(addr)?,
        Transport::Async => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
            .block_on(asynchronous::run_client(addr))?,
    };
    for record in &records {
        println!("{}", record.spec);
    }
    for record in &records {
        for outcome in &record.outcomes {
            println!("Client: {outcome}");
        }
    }
    if !records.iter().all(SessionRecord::solved) {
        bail!("not every session was solved");
    }
    Ok(())
}

fn run_load(
    addr: SocketAddr,
    sessions: usize,
    connects: usize,
    deadline: Duration,
) -> anyhow::Result<()> {
    ensure!(sessions > 0, "--sessions must be at least 1");
    let plan = LoadPlan {
        sessions,
        connects_in_flight: connects,
        deadline,
    };
    let report = load::run_load_client(addr, &plan)?;
    println!("{report}");
    ensure!(
        report.solved == sessions,
        "only {} of {sessions} sessions were solved",
        report.solved
    );
    Ok(())
}
