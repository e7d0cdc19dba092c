//! Item 52 in one page: use subprocess to manage child processes.
//!
//! Children run in parallel with the parent and each other: start them all,
//! then wait for all. Data streams through a child's pipes only if someone
//! writes and someone reads at the same time. And a child that takes too long
//! gets a deadline, then SIGTERM, and is reaped, like every child here.
//!
//! Run it: `cargo run -p bw52-subprocess --example core`, then
//! `cargo run -p bw52-subprocess --example core -- --break` (everything is
//! written to `cat` before anything is read: the writer stalls once the pipes
//! are full, and a watchdog kills `cat` to free it). Unix only: the children are
//! Unix programs (`sleep`, `cat`) and the deadline ends in a Unix signal.

#[cfg(unix)]
use unix::main;

#[cfg(not(unix))]
fn main() {
    let os = std::env::consts::OS;
    println!("skipped on {os}: the children are Unix programs (sleep, cat), stopped by SIGTERM");
}

#[cfg(unix)]
mod unix {
    use std::io::{self, Read, Write};
    use std::os::unix::process::ExitStatusExt;
    use std::process::{Command, ExitStatus, Stdio};
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    use std::thread;
    use std::time::{Duration, Instant};

    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;

    /// What came back from `cat`, where the writer stalled (if it did), how `cat` ended.
    type Streamed = (Vec<u8>, Option<usize>, ExitStatus);

    /// Sends `data` through `cat` and reads it back.
    fn stream_through_cat(data: &[u8], broken: bool) -> io::Result<Streamed> {
        let (piped, mut echoed, mut stalled_at) = (Stdio::piped, Vec::new(), None);
        let mut cat = Command::new("cat").stdin(piped()).stdout(piped()).spawn()?;
        let mut stdin = cat.stdin.take().expect("stdin is piped");
        let mut stdout = cat.stdout.take().expect("stdout is piped");
        let written = &AtomicUsize::new(0);
        thread::scope(|s| {
            // The writer feeds `cat` 16 KiB at a time. When it ends, `stdin` is
            // dropped, which closes the pipe: that tells `cat` the input is over.
            let writer = s.spawn(move || -> io::Result<()> {
                for chunk in data.chunks(16 << 10) {
                    stdin.write_all(chunk)?;
                    written.fetch_add(chunk.len(), Relaxed);
                }
                Ok(())
            });
            if broken {
                // The mistake: waiting for the writer before reading anything.
                // The watchdog: a writer not done after 1 s (a hundred times what
                // 4 MiB needs) is stuck; killing `cat` makes its next write fail.
                thread::sleep(Duration::from_secs(1));
                if !writer.is_finished() {
                    stalled_at = Some(written.load(Relaxed));
                    cat.kill()?;
                }
            }
            stdout.read_to_end(&mut echoed)?;
            // After a stall the writer's error (a broken pipe) is expected.
            let fed = writer.join().expect("the writer does not panic");
            if stalled_at.is_some() { Ok(()) } else { fed }
        })?;
        Ok((echoed, stalled_at, cat.wait()?))
    }

    /// `sleep 10` with a deadline: poll until it ends or the deadline passes;
    /// then ask it to stop with SIGTERM, and reap it.
    fn run_with_deadline(deadline: Duration) -> io::Result<ExitStatus> {
        let (mut child, start) = (Command::new("sleep").arg("10").spawn()?, Instant::now());
        while child.try_wait()?.is_none() && start.elapsed() < deadline {
            thread::sleep(Duration::from_millis(10));
        }
        // Not yet reaped, so its pid cannot have been reused: safe to signal.
        if child.try_wait()?.is_none() {
            kill(Pid::from_raw(child.id() as i32), Signal::SIGTERM)?;
        }
        child.wait()
    }

    // Try: feed `cat` 64 MiB: the right order streams it all through 64 KiB pipes.
    // Try: send `Signal::SIGKILL` instead: the status says "signal: 9 (SIGKILL)".
    pub(crate) fn main() -> io::Result<()> {
        let broken = std::env::args().any(|a| a == "--break");
        // Ten children of 0.1 s each, all started before any is waited for.
        let (start, mut children) = (Instant::now(), Vec::new());
        for _ in 0..10 {
            children.push(Command::new("sleep").arg("0.1").spawn()?);
        }
        for mut child in children {
            assert!(child.wait()?.success(), "`sleep 0.1` should succeed");
        }
        let elapsed = start.elapsed();
        println!("10 children of 0.1 s, started together, all ended after {elapsed:.0?}");

        let data: Vec<u8> = (0..4 << 20).map(|i| (i % 251) as u8).collect();
        let (echoed, stalled_at, cat_status) = stream_through_cat(&data, broken)?;
        let total = data.len() >> 10;
        if let Some(kib) = stalled_at.map(|bytes| bytes >> 10) {
            let killed = format!("nobody read cat's output; the watchdog killed it ({cat_status})");
            println!("broken: the writer stalled after {kib} KiB of {total} KiB: {killed}");
            return Ok(());
        }
        let echoed_all = echoed == data && cat_status.success();
        assert!(echoed_all, "cat echoes every byte and exits 0");

        let status = run_with_deadline(Duration::from_millis(100))?;
        assert_eq!(status.signal(), Some(Signal::SIGTERM as i32));
        let deadline = format!("`sleep 10` ended at its 100 ms deadline ({status})");
        println!("ok: 10 children waited for; {total} KiB through cat and back; {deadline}");
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_right_way_passes_its_own_checks() {
            // `main` asserts every byte came back and the deadline ended in SIGTERM.
            main().expect("sleep and cat run");
        }

        #[test]
        fn writing_before_reading_stalls_near_the_pipes_size() {
            let (echoed, stalled_at, status) =
                stream_through_cat(&vec![7; 4 << 20], true).expect("cat runs");
            let written = stalled_at.expect("the watchdog should have found the writer stalled");
            assert!(0 < written && written < 1 << 20, "stalled at {written}");
            assert!(echoed.len() <= written && status.signal() == Some(Signal::SIGKILL as i32));
        }
    }
}
