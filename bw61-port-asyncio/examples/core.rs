//! Item 61: porting a threaded server to async is mostly mechanical — the
//! same loop with async sockets and `.await` — but every blocking call must go.
//!
//! This program runs the book's number-guessing server on a one-thread
//! runtime (asyncio's event loop), a task per connection, over the crate's
//! shared `Command` and `Session`; `handle_blocking` (before the port) and
//! `handle_connection` (after) differ only in their sockets. Two clients play
//! the book's two games at once, and each waits after its first guess until
//! the other has had one too — which only a server serving both can give.
//!
//! Run it: `cargo run -p bw61-port-asyncio --example core`.
//! Break it: `cargo run -p bw61-port-asyncio --example core -- --break` calls
//! the old blocking handler from the task: its reads hold the loop's only
//! thread for the first game, so the second client gets no guess until the
//! first is over, and the first client's watchdog gives up after 1 s.

use std::io::{self, BufRead, BufReader, Write};
use std::time::{Duration, Instant};
use std::{net::TcpStream, sync::Mutex};

use bw61_port_asyncio::protocol::{Command, Decision, error_line, number_line};
use bw61_port_asyncio::{client::Judge, session::Session};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
use tokio::{net::TcpListener, runtime::Builder, task::JoinSet};

const WATCHDOG: Duration = Duration::from_secs(1);

/// A client's name, the other client's name, and its game: the range to
/// guess in and the secret.
type Game = (&'static str, &'static str, i64, i64, i64);

/// The game, shared by both handlers: one line in, the reply out ("" if none).
fn respond(session: &mut Session, line: &str) -> String {
    match Command::parse(line).and_then(|command| session.handle(command)) {
        Ok(handled) => handled.reply.map(number_line).unwrap_or_default(),
        Err(error) => error_line(&error), // The server in src/ also hangs up.
    }
}

/// The threaded server's handler, before the port: blocking reads.
fn handle_blocking(stream: TcpStream) -> io::Result<()> {
    stream.set_nonblocking(false)?; // Sockets from tokio are non-blocking.
    let (mut session, mut writer) = (Session::new(7), stream.try_clone()?);
    for line in BufReader::new(stream).lines() {
        writer.write_all(respond(&mut session, &line?).as_bytes())?;
    }
    Ok(())
}

/// The same handler, ported: tokio's socket halves and `.await`.
async fn handle_connection(stream: tokio::net::TcpStream) -> io::Result<()> {
    let (mut session, (reader, mut writer)) = (Session::new(7), stream.into_split());
    let mut lines = tokio::io::BufReader::new(reader).lines();
    while let Some(line) = lines.next_line().await? {
        let reply = respond(&mut session, &line);
        writer.write_all(reply.as_bytes()).await?;
    }
    Ok(())
}

/// The server: a task per connection. (A real server loops forever; this
/// one serves two clients.)
async fn serve(listener: TcpListener, broken: bool) -> io::Result<()> {
    let mut handlers = JoinSet::new();
    for _ in 0..2 {
        let (stream, _) = listener.accept().await?;
        if broken {
            // The mistake: the blocking handler, called from a task.
            handlers.spawn(async move { handle_blocking(stream.into_std()?) });
        } else {
            handlers.spawn(handle_connection(stream));
        }
    }
    handlers.join_all().await.into_iter().collect()
}

/// The book's client, a plain thread: plays one game on its own connection.
/// After its first guess it waits, up to `WATCHDOG`, until the other client
/// has had a guess too — which only a server serving both at once can give.
fn play(port: u16, (me, them, lower, upper, secret): Game, log: &Mutex<String>) -> io::Result<()> {
    let note = |event: String| log.lock().expect("no panics").push_str(&event);
    let mut writer = TcpStream::connect(("127.0.0.1", port))?;
    let mut replies = BufReader::new(writer.try_clone()?).lines();
    let (mut judge, mut decision) = (Judge::new(secret), Decision::Unsure);
    writeln!(writer, "{}", Command::Params { lower, upper })?;
    let deadline = Instant::now() + WATCHDOG;
    while decision != Decision::Correct {
        writeln!(writer, "{}", Command::Number)?;
        let reply = replies.next().transpose()?.unwrap_or_default();
        let guess = reply.parse::<i64>().map_err(io::Error::other)?;
        decision = judge.judge(guess);
        note(format!("{me} {guess} is {decision}\n"));
        writeln!(writer, "{}", Command::Report(decision))?;
        while !log.lock().expect("no panics").contains(them) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10)); // The watchdog's loop.
        }
    }
    note(format!("{me} done\n"));
    writeln!(writer, "{}", Command::END_SESSION)
}

/// Runs the server on a one-thread runtime, like asyncio's loop, and the
/// two clients on threads; returns whether the sessions overlapped, and the
/// verdict.
fn run(broken: bool) -> (bool, String) {
    // Try: `Builder::new_multi_thread()` — `--break` then prints ok: a second
    // worker serves the other client, hiding the block until there are more
    // clients than worker threads.
    let runtime = Builder::new_current_thread().enable_all().build();
    let runtime = runtime.expect("a runtime starts");
    let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0"));
    let listener = listener.expect("loopback works");
    let port = listener.local_addr().expect("bound").port();
    let log = Mutex::default();
    let (a, b, served) = std::thread::scope(|s| {
        let a = s.spawn(|| play(port, ("A:", "B:", 1, 5, 3), &log));
        let b = s.spawn(|| play(port, ("B:", "A:", 10, 15, 12), &log));
        let served = runtime.block_on(serve(listener, broken));
        (a.join(), b.join(), served)
    });
    let played = a.and(b).expect("the clients do not panic");
    played.and(served).expect("the loopback sockets work");
    let log = log.into_inner().expect("no panics");
    print!("{log}");
    // Overlapped: both clients had a guess before either was done.
    let overlapped = log.find("A:") < log.find("done") && log.find("B:") < log.find("done");
    let line = match overlapped {
        true => "ok: both games won; each client had a guess while the other played".to_owned(),
        false => format!("broken: one game after the other; the first client waited {WATCHDOG:?}"),
    };
    (overlapped, line)
}

fn main() {
    println!("{}", run(std::env::args().any(|a| a == "--break")).1);
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_the_async_handler_serves_two_clients_at_once() {
        let ((overlapped, line), (serialised, broken)) = (super::run(false), super::run(true));
        assert!(overlapped && !serialised, "{line}\n{broken}");
    }
}
