//! Item 62: move from threads to async a step at a time — blocking code keeps
//! working inside an async program if it runs where blocking is allowed.
//!
//! This program is the book's log merger, migrated top-down: writer threads
//! append lines to three growing files; the old blocking `tail_file` follows
//! each file, unchanged; the new async top (`run_tasks_mixed`) runs each
//! tailer on tokio's blocking pool (`spawn_blocking`, the book's
//! `run_in_executor`), and the tailers hand their lines back to the async
//! merger over a channel. Every file's lines must arrive once and in order.
//!
//! Run it: `cargo run -p bw62-mix --example core`.
//! Break it: `cargo run -p bw62-mix --example core -- --break` runs the
//! blocking tailers as ordinary tasks on the runtime's thread: each one holds
//! it until its file is complete, so the "merge" becomes file after file.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

use tokio::runtime::Builder;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

const FILES: usize = 3;
const LINES: usize = 20;
const PAUSE: Duration = Duration::from_millis(10);

/// The book's `write_random_data`: a thread appending a line every `PAUSE`.
fn write_data(path: &Path, file: usize) -> io::Result<()> {
    let mut output = File::options().append(true).open(path)?;
    for i in 0..LINES {
        writeln!(output, "file {file} line {i}")?;
        thread::sleep(PAUSE);
    }
    Ok(())
}

/// The book's `tail_file`, as the threaded program had it: follows a
/// growing file and hands each complete line to `write`. (A real tailer
/// stops on a signal; these files have a known length.)
fn tail_file(path: &Path, mut write: impl FnMut(String)) -> io::Result<()> {
    let (mut reader, mut line) = (BufReader::new(File::open(path)?), String::new());
    for _ in 0..LINES {
        // At the end of the file, or half-way through a line: wait for more.
        while reader.read_line(&mut line)? == 0 || !line.ends_with('\n') {
            thread::sleep(PAUSE / 2);
        }
        write(std::mem::take(&mut line));
    }
    Ok(())
}

/// The book's `run_tasks_mixed`: the async top of the program, returning
/// the lines of every file merged in the order they arrived.
async fn run_tasks_mixed(paths: &[PathBuf], broken: bool) -> io::Result<Vec<String>> {
    let (lines_tx, mut lines_rx) = mpsc::unbounded_channel();
    let mut tailers = JoinSet::new();
    for path in paths {
        // An unbounded send never blocks, so it is safe from any thread.
        // Try: a bounded channel and `blocking_send` — `--break` then
        // panics: tokio refuses to block a runtime thread it can see.
        let (path, lines_tx) = (path.clone(), lines_tx.clone());
        let tail = move || tail_file(&path, |line| lines_tx.send(line).expect("the merger runs"));
        if broken {
            tailers.spawn(async move { tail() }); // The mistake: blocks the runtime.
        } else {
            tailers.spawn_blocking(tail); // The book's `run_in_executor`.
        }
    }
    // Started only now, so every tailer has to follow a growing file.
    let mut writers = Vec::new();
    for (file, path) in paths.iter().cloned().enumerate() {
        writers.push(thread::spawn(move || write_data(&path, file)));
    }
    drop(lines_tx); // The channel closes when the last tailer is done.
    // Take the lines as they come, until every tailer has dropped its sender.
    let mut merged = Vec::new();
    while lines_rx.recv_many(&mut merged, LINES).await > 0 {}
    tailers.join_all().await.into_iter().try_for_each(|t| t)?; // The first error.
    for writer in writers {
        writer.join().expect("a writer does not panic")?;
    }
    Ok(merged)
}

/// Merges three growing files; returns how often the merged output moves
/// from one file to another, and the verdict.
fn run(broken: bool) -> (usize, String) {
    let dir = std::env::temp_dir().join(format!("bw62-core-{}-{broken}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("the temp dir is writable");
    let paths: Vec<_> = (0..FILES).map(|f| dir.join(format!("{f}.log"))).collect();
    for path in &paths {
        File::create(path).expect("the temp dir is writable");
    }
    // Try: `new_multi_thread()` — `--break` then tails two files at a time.
    let runtime = Builder::new_current_thread().enable_all().build();
    let runtime = runtime.expect("a runtime starts");
    let merged = runtime.block_on(run_tasks_mixed(&paths, broken));
    std::fs::remove_dir_all(&dir).expect("the temp dir can be removed");
    let merged = merged.expect("the temp files are readable and writable");
    // A stable sort by file keeps each file's lines in the order they came.
    let mut by_file = merged.clone();
    by_file.sort_by_key(|line| line[..6].to_owned());
    let line = |n| format!("file {} line {}\n", n / LINES, n % LINES);
    let expected: Vec<_> = (0..FILES * LINES).map(line).collect();
    assert_eq!(by_file, expected, "a line lost, doubled or out of order");
    let switches = merged.windows(2).filter(|w| w[0][..6] != w[1][..6]).count();
    let line = if switches > FILES - 1 {
        format!("ok: {FILES} growing files merged; the output switched files {switches} times")
    } else {
        format!("broken: the tailers took turns; the output switched files only {switches} times")
    };
    (switches, line)
}

fn main() {
    println!("{}", run(std::env::args().any(|a| a == "--break")).1);
}

#[cfg(test)]
mod tests {
    use super::{FILES, run};
    #[test]
    fn tailers_on_the_blocking_pool_interleave() {
        let (switches, line) = run(false);
        assert!(line.starts_with("ok: ") && switches > FILES - 1, "{line}");
    }

    #[test]
    fn blocking_tailers_on_the_runtime_run_file_after_file() {
        let (switches, line) = run(true);
        assert_eq!(
            (switches, line.starts_with("broken: ")),
            (FILES - 1, true),
            "{line}"
        );
    }
}
