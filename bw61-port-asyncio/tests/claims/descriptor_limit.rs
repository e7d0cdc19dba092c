//! A server out of file descriptors neither spins nor gives up: `accept`
//! fails, the server backs off, and it serves the waiting clients as soon as
//! others leave. Each server runs as a child process (`serve`) with a limit
//! of 32 open files, far fewer than the 40 clients that connect at once.
//!
//! Unix only: the limit is set with `sh`'s `ulimit`, and the server is
//! stopped with SIGINT (Windows has no limit on open sockets to run out of).
#![cfg(unix)]

use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::sync::{Barrier, Condvar, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use bw61_port_asyncio::client::{BOOK_GAMES, REQUESTS_PER_SESSION};
use bw61_port_asyncio::threaded::Client;
use nix::sys::signal::{self, Signal};
use nix::unistd::Pid;

const SERVER: &str = env!("CARGO_BIN_EXE_bw61-port-asyncio");
const CLIENTS: usize = 40;
const READ_TIMEOUT: Duration = Duration::from_secs(30);

fn server_recovers_from_running_out_of_descriptors(flag: &str) {
    // `ulimit -n` in sh sets the soft and the hard limit, so the server
    // cannot raise it back.
    let mut server = Command::new("sh")
        .args([
            "-c",
            "ulimit -n 32 && exec \"$0\" serve --port 0 \"$1\"",
            SERVER,
            flag,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh starts the server");
    let mut stdout = BufReader::new(server.stdout.take().expect("piped"));
    // The server logs its first failed `accept` to stderr; a thread watches
    // for it and keeps the whole of stderr for the end.
    let (failed_tx, failed_rx) = mpsc::channel();
    let stderr = BufReader::new(server.stderr.take().expect("piped"));
    let stderr_reader = thread::spawn(move || {
        let mut text = String::new();
        for line in stderr.lines().map_while(Result::ok) {
            if line.starts_with("accept failed") {
                let _ = failed_tx.send(());
            }
            text.push_str(&line);
            text.push('\n');
        }
        text
    });
    let mut first = String::new();
    stdout
        .read_line(&mut first)
        .expect("the server says where it listens");
    let addr: SocketAddr = first
        .split_whitespace()
        .nth(2)
        .and_then(|word| word.parse().ok())
        .unwrap_or_else(|| panic!("no address in {first:?}"));
    assert!(first.contains("up to 32 open files"), "{first:?}");

    let started = Instant::now();
    // Every client connects before any plays: the kernel completes all the
    // handshakes, but the server can accept only about twenty of them.
    let connected = Barrier::new(CLIENTS);
    // Clients the server has answered wait here until it has failed to
    // accept the others: only then may they leave and free descriptors.
    let released = (Mutex::new(false), Condvar::new());
    let played: Vec<usize> = thread::scope(|scope| {
        let players: Vec<_> = (0..CLIENTS)
            .map(|_| {
                scope.spawn(|| {
                    let stream =
                        TcpStream::connect(addr).expect("the kernel completes the handshake");
                    stream
                        .set_read_timeout(Some(READ_TIMEOUT))
                        .expect("a timeout");
                    let mut client = Client::new(stream).expect("a client");
                    connected.wait();
                    let mut guesses = 0;
                    for (i, spec) in BOOK_GAMES.into_iter().enumerate() {
                        let outcomes = client
                            .session(spec, |client| {
                                if i == 0 {
                                    // An answer means this connection was accepted.
                                    let first = client.request_number()?;
                                    let (lock, signal) = &released;
                                    let guard = lock.lock().expect("not poisoned");
                                    drop(
                                        signal
                                            .wait_while(guard, |released| !*released)
                                            .expect("not poisoned"),
                                    );
                                    client.report_outcome(first)?;
                                }
                                client
                                    .request_numbers(REQUESTS_PER_SESSION)
                                    .collect::<Result<Vec<_>, _>>()
                            })
                            .expect("served, sooner or later");
                        guesses += outcomes.len();
                    }
                    client.close().expect("a clean end");
                    guesses
                })
            })
            .collect();
        // The timeout only keeps a broken server from hanging the test.
        let failed = failed_rx.recv_timeout(READ_TIMEOUT);
        let (lock, signal) = &released;
        *lock.lock().expect("not poisoned") = true;
        signal.notify_all();
        assert!(
            failed.is_ok(),
            "{flag}: the server never ran out of descriptors"
        );
        players
            .into_iter()
            .map(|p| p.join().expect("the client finished"))
            .collect()
    });
    let elapsed = started.elapsed();
    assert!(played.iter().all(|&guesses| guesses >= 2), "{played:?}");

    signal::kill(Pid::from_raw(server.id() as i32), Signal::SIGINT).expect("signalled");
    let mut rest = String::new();
    stdout
        .read_to_string(&mut rest)
        .expect("the server's output");
    let status = server.wait().expect("reaped");
    let stderr = stderr_reader.join().expect("stderr read");
    assert!(status.success(), "{flag}: {status}: {stderr}");
    let stopped = rest
        .lines()
        .find(|line| line.starts_with("stopped: "))
        .unwrap_or_else(|| panic!("{flag}: no final line in {rest:?}"));
    let numbers: Vec<u64> = stopped
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    println!("{flag}: {stopped} (clients done in {elapsed:?})");
    let [accepted, solved, rejected, abandoned, failed_accepts] = numbers[..] else {
        panic!("{flag}: unexpected {stopped:?}");
    };
    assert_eq!(
        (accepted, rejected, abandoned),
        (CLIENTS as u64, 0, 0),
        "{flag}: {stopped}"
    );
    assert!(solved >= CLIENTS as u64, "{flag}: {stopped}");
    assert!(
        failed_accepts > 0,
        "{flag}: the limit was never reached: {stopped}"
    );
    // Backing off 10 ms per failure allows about 100 failures a second; a
    // spinning loop would fail hundreds of thousands of times a second.
    let ceiling = 1000.0 * elapsed.as_secs_f64().max(0.1);
    assert!(
        (failed_accepts as f64) < ceiling,
        "{flag}: {failed_accepts} failed accepts in {elapsed:?}: the accept loop spins"
    );
}

#[test]
fn threaded_server_backs_off_when_out_of_descriptors() {
    server_recovers_from_running_out_of_descriptors("--threads");
}

#[test]
fn async_server_backs_off_when_out_of_descriptors() {
    server_recovers_from_running_out_of_descriptors("--async");
}
