//! The narrated demo of item 52: child processes captured, polled, fanned
//! out, streamed, chained, timed out and reaped. Unix only; `main.rs` calls
//! [`main`] there.

use std::hint::black_box;
use std::num::NonZeroUsize;
use std::os::unix::process::ExitStatusExt;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use bw52_subprocess::chain::{
    caesar, encrypt_command, parse_sha256sum, rot13_command, sha256_command,
};
use bw52_subprocess::zombie::wait_until_exited;
use bw52_subprocess::{
    ChildGuard, ChildState, Deadline, Ending, NaiveOutcome, Pipeline, RunError, abandon,
    child_state, describe_status, pipe_through, poll_while_working, process_state, rot13,
    run_bounded, run_in_parallel, run_sequentially, run_text, sample_data, sha256_hex,
    sleep_command, spawn_ignoring_sigterm, wait_or_terminate, write_then_read,
};
use course_support::{InFlight, fmt_duration, timed};
use nix::sys::wait::WaitStatus;

use crate::Cli;

/// How long `true` may take to exit before the demo calls it stuck.
const EXIT_PATIENCE: Duration = Duration::from_secs(10);

/// The demo's seven steps, with the sizes `cli` asks for.
pub(crate) fn run(cli: &Cli) -> anyhow::Result<()> {
    course_support::banner("bw52-subprocess: use subprocess to manage child processes");
    println!(
        "children: {} x sleep {} | stream: {} MiB | timeout: {} (+{} grace) | async: {}, at most {} at once",
        cli.children,
        fmt_duration(cli.sleep),
        cli.stream_mib,
        fmt_duration(cli.timeout),
        fmt_duration(cli.grace),
        cli.async_children,
        cli.limit
    );
    capture()?;
    poll(cli.sleep * 2)?;
    parallel(cli.children, cli.sleep)?;
    stream(cli.stream_mib)?;
    chain()?;
    reaping(Deadline {
        timeout: cli.timeout,
        grace: cli.grace,
    })?;
    bounded(cli.async_children, cli.limit, cli.sleep / 2)?;
    println!(
        "takeaway: children run in parallel for free (start them all, then wait); talk through pipes\n          \
         while reading and writing at once; and own every child until it is reaped, because a\n          \
         dropped std Child is neither killed nor reaped and std's wait has no timeout."
    );
    Ok(())
}

/// Step 1: run, capture, and the two ways it fails.
fn capture() -> anyhow::Result<()> {
    println!("\n[1/7] run a child and capture its output");
    let hello = run_text(Command::new("echo").arg("Hello from the child!"))?;
    ensure!(hello == "Hello from the child!\n", "echo printed {hello:?}");
    println!("  {:<22} -> {:?} (exit code 0)", "echo", hello.trim_end());

    let failed = run_text(Command::new("sh").args(["-c", "echo 'disk full' >&2; exit 3"]));
    match failed {
        Err(error @ RunError::Failed { .. }) if error.code() == Some(3) => {
            println!("  {:<22} -> error: {error}", "sh -c '...; exit 3'");
        }
        other => bail!("a child exiting with code 3 should be RunError::Failed, got {other:?}"),
    }

    let missing = run_text(&mut Command::new("bw52-no-such-program"));
    match missing {
        Err(error @ RunError::NotFound { .. }) => {
            println!("  {:<22} -> error: {error}", "bw52-no-such-program");
        }
        other => bail!("a missing program should be RunError::NotFound, got {other:?}"),
    }
    Ok(())
}

/// Step 2: the parent computes while the child sleeps, polling in between.
fn poll(child_time: Duration) -> anyhow::Result<()> {
    println!(
        "\n[2/7] poll a running child (sleep {}) while the parent works",
        fmt_duration(child_time)
    );
    let mut child = ChildGuard::spawn(&mut sleep_command(child_time))?;
    // One unit of "other work": hashing 64 KiB, tens of microseconds.
    let block = sample_data(64 * 1024, 52);
    let mut digest = 0u64;
    let (report, elapsed) = timed(|| {
        poll_while_working(&mut child, || {
            digest ^= block.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, &byte| {
                (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
            });
        })
    });
    let report = report?;
    black_box(digest);
    ensure!(
        report.status.success(),
        "sleep ended with {}",
        describe_status(report.status)
    );
    ensure!(
        report.work_units > 0,
        "the parent never got to work while the child ran"
    );
    println!(
        "  the child ran {}; the parent polled {} times and did {} units of work in between ({})",
        fmt_duration(elapsed),
        report.polls,
        report.work_units,
        describe_status(report.status)
    );
    Ok(())
}

/// Step 3: the same children one after another, then all at once.
fn parallel(children: u32, sleep: Duration) -> anyhow::Result<()> {
    println!(
        "\n[3/7] {children} children of sleep {}: one after another, then all started at once",
        fmt_duration(sleep)
    );
    let commands = || (0..children).map(|_| sleep_command(sleep));
    let (sequential, sequential_time) = timed(|| run_sequentially(commands()));
    let (parallel, parallel_time) = timed(|| run_in_parallel(commands()));
    ensure!(
        sequential?.len() == children as usize,
        "sequential run lost a child"
    );
    ensure!(
        parallel?.len() == children as usize,
        "parallel run lost a child"
    );
    println!("  ok: all {} children exited with code 0", 2 * children);

    println!("  {:<12} {:>11} {:>14}", "mode", "time", "vs sequential");
    for (mode, time) in [("sequential", sequential_time), ("parallel", parallel_time)] {
        println!(
            "  {:<12} {:>11} {:>13.2}x",
            mode,
            fmt_duration(time),
            sequential_time.as_secs_f64() / time.as_secs_f64()
        );
    }
    println!(
        "  one child's time is {}; the parallel run took {:.2} of them, the sequential one {:.2}",
        fmt_duration(sleep),
        parallel_time.as_secs_f64() / sleep.as_secs_f64(),
        sequential_time.as_secs_f64() / sleep.as_secs_f64()
    );
    Ok(())
}

/// Step 4: streaming through `cat`, the right way and the deadlocking way.
fn stream(mib: u32) -> anyhow::Result<()> {
    let len = mib as usize * 1024 * 1024;
    println!("\n[4/7] stream {mib} MiB through cat");
    let data = sample_data(len, 4);
    let (echoed, elapsed) = timed(|| pipe_through(&mut Command::new("cat"), &data));
    let echoed = echoed?;
    ensure!(
        echoed == data,
        "cat returned {} bytes that differ from the {} sent",
        echoed.len(),
        data.len()
    );
    println!(
        "  writing and reading at once: all {} bytes back, identical, in {} ({:.0} MiB/s)",
        echoed.len(),
        fmt_duration(elapsed),
        f64::from(mib) / elapsed.as_secs_f64()
    );

    let patience = Duration::from_millis(200);
    match write_then_read(&mut Command::new("cat"), &data, patience)? {
        NaiveOutcome::Stuck { written } => println!(
            "  writing everything first: stuck after {} KiB (the pipes were full and nobody read);\n  \
             a watchdog killed cat after {} to end the deadlock",
            written / 1024,
            fmt_duration(patience)
        ),
        NaiveOutcome::Completed(output) => println!(
            "  writing everything first: {} bytes fitted in the pipes this time (try --stream-mib 8)",
            output.len()
        ),
    }
    Ok(())
}

/// Step 5: `tr | sha256sum` three times at once, and `yes | head`.
fn chain() -> anyhow::Result<()> {
    let hash = sha256_command()?;
    let hash_name = [hash.get_program()]
        .into_iter()
        .chain(hash.get_args())
        .map(|part| part.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ");
    println!("\n[5/7] the book's three encryptors, then chains of children joined by pipes");
    // Each child gets its key in its environment (`Command::env`), not on
    // its command line; all three start before any is fed.
    let keys = ["3", "11", "24"];
    let messages: [&[u8]; 3] = [b"Attack at dawn", b"Meet me by the zebra", b"Quiet Yak"];
    let encryptors = keys
        .iter()
        .map(|key| Pipeline::spawn([encrypt_command(key)]))
        .collect::<Result<Vec<_>, _>>()?;
    for ((encryptor, message), key) in encryptors.into_iter().zip(&messages).zip(keys) {
        let encrypted = encryptor.finish(message)?.into_checked()?;
        let shift: u8 = key.parse().context("the keys above are numbers")?;
        ensure!(
            encrypted == caesar(message, shift),
            "the encryptor with key {key} wrote {encrypted:?}"
        );
        println!(
            "  password={key:<3} {:<22} -> {:?}",
            format!("{:?}", String::from_utf8_lossy(message)),
            String::from_utf8_lossy(&encrypted)
        );
    }
    println!("  ok: each child read its key from its environment and shifted the letters by it");
    println!("  tr (ROT13) | {hash_name}, three chains at once:");
    let inputs: Vec<Vec<u8>> = (1..=3).map(|seed| sample_data(100_000, seed)).collect();
    // Start every chain before feeding any, as the book does.
    let chains = inputs
        .iter()
        .map(|_| Pipeline::spawn([rot13_command(), sha256_command()?]))
        .collect::<Result<Vec<_>, _>>()?;
    for (number, (chain, input)) in chains.into_iter().zip(&inputs).enumerate() {
        let stdout = chain.finish(input)?.into_checked()?;
        let from_children = parse_sha256sum(&stdout).map_err(anyhow::Error::msg)?;
        let in_process = sha256_hex(&rot13(input));
        ensure!(
            from_children == in_process,
            "chain {}: {hash_name} said {from_children}, in-process {in_process}",
            number + 1
        );
        println!(
            "  chain {}: {}... = sha256(rot13(data)) computed in-process",
            number + 1,
            &from_children[..16]
        );
    }

    let mut head = Command::new("head");
    head.args(["-c", "8"]);
    let output = Pipeline::spawn([Command::new("yes"), head])?.finish(b"")?;
    let yes = output.stages[0].status;
    ensure!(
        output.stdout == b"y\ny\ny\ny\n",
        "head printed {:?}",
        output.stdout
    );
    ensure!(
        yes.signal() == Some(13),
        "yes should die of SIGPIPE once head is gone, but ended with {}",
        describe_status(yes)
    );
    println!(
        "  yes | head -c 8: head printed {:?}; yes was {}\n  \
         (our copy of the pipe was closed, so head's exit left yes without a reader)",
        String::from_utf8_lossy(&output.stdout),
        describe_status(yes)
    );
    Ok(())
}

/// Step 6: what drop does (nothing), what a guard does, and deadlines.
fn reaping(deadline: Deadline) -> anyhow::Result<()> {
    println!("\n[6/7] dropping, deadlines and reaping");
    let running = abandon(sleep_command(Duration::from_secs(30)).spawn()?);
    let pid = running.pid();
    ensure!(
        child_state(pid)? == ChildState::Running,
        "the dropped sleep is not running"
    );
    let state = process_state(pid)?.map_or('-', |s| s);
    let status = running.kill_and_reap()?;
    ensure!(
        child_state(pid)? == ChildState::Gone,
        "pid {pid} still ours after reaping"
    );
    println!(
        "  {:<30} pid {pid} still there (state {state}); killed and reaped by hand: {}",
        "dropped Child of `sleep 30`:",
        wait_status(status)
    );

    let finished = abandon(Command::new("true").spawn()?);
    let pid = finished.pid();
    wait_until_exited(pid, EXIT_PATIENCE)?;
    let state = process_state(pid)?;
    ensure!(
        state == Some('Z'),
        "an exited, unreaped child should be a zombie, its state is {state:?}"
    );
    ensure!(
        child_state(pid)? == ChildState::Zombie,
        "child_state does not see the zombie"
    );
    let status = finished.reap()?;
    ensure!(
        child_state(pid)? == ChildState::Gone,
        "pid {pid} still ours after reaping"
    );
    ensure!(
        process_state(pid)?.is_none(),
        "process {pid} is still there after reaping"
    );
    println!(
        "  {:<30} pid {pid} a zombie (state Z) until reaped by hand: {}",
        "dropped Child of `true`:",
        wait_status(status)
    );

    let guard = ChildGuard::spawn(&mut sleep_command(Duration::from_secs(30)))?;
    let pid = guard.pid();
    drop(guard);
    ensure!(
        child_state(pid)? == ChildState::Gone,
        "the guard left pid {pid} behind"
    );
    ensure!(
        process_state(pid)?.is_none(),
        "process {pid} is still there after the guard"
    );
    println!(
        "  {:<30} pid {pid} gone at once (killed and reaped on drop)",
        "dropped ChildGuard(sleep 30):"
    );

    let mut sleep = ChildGuard::spawn(&mut sleep_command(Duration::from_secs(10)))?;
    let pid = sleep.pid();
    let timed_run = wait_or_terminate(&mut sleep, deadline)?;
    drop(sleep);
    ensure!(
        child_state(pid)? == ChildState::Gone,
        "pid {pid} left behind"
    );
    ensure!(
        timed_run.ending == Ending::Terminated && timed_run.status.signal() == Some(15),
        "sleep 10 past its deadline should end by SIGTERM, got {:?} ({})",
        timed_run.ending,
        timed_run.describe()
    );
    println!(
        "  {:<30} {} after {}",
        format!("sleep 10, deadline {}:", fmt_duration(deadline.timeout)),
        timed_run.describe(),
        fmt_duration(timed_run.elapsed)
    );

    let mut stubborn = spawn_ignoring_sigterm(Duration::from_secs(30))?;
    let pid = stubborn.pid();
    let timed_run = wait_or_terminate(&mut stubborn, deadline)?;
    drop(stubborn);
    ensure!(
        timed_run.ending == Ending::Killed && timed_run.status.signal() == Some(9),
        "a child ignoring SIGTERM should be killed, got {:?} ({})",
        timed_run.ending,
        timed_run.describe()
    );
    ensure!(
        child_state(pid)? == ChildState::Gone,
        "pid {pid} left behind"
    );
    println!(
        "  {:<30} {} after {} (SIGTERM ignored for the {} grace)",
        "sh ignoring SIGTERM:",
        timed_run.describe(),
        fmt_duration(timed_run.elapsed),
        fmt_duration(deadline.grace)
    );
    println!("  ok: every child above was reaped; none of their pids is a child of ours any more");
    Ok(())
}

/// Step 7: tokio runs many children, a semaphore bounds how many at once.
fn bounded(children: u32, limit: NonZeroUsize, sleep: Duration) -> anyhow::Result<()> {
    println!(
        "\n[7/7] async: {children} children of sleep {} through tokio, at most {limit} at once",
        fmt_duration(sleep)
    );
    let runtime = tokio::runtime::Runtime::new().context("could not start the tokio runtime")?;
    let gauge = Arc::new(InFlight::new());
    let commands = (0..children)
        .map(|_| tokio::process::Command::from(sleep_command(sleep)))
        .collect();
    let start = Instant::now();
    let results = runtime.block_on(run_bounded(commands, limit, Arc::clone(&gauge)));
    let elapsed = start.elapsed();
    let failures = results.iter().filter(|result| result.is_err()).count();
    ensure!(
        failures == 0,
        "{failures} of the async children failed: {results:?}"
    );
    ensure!(
        gauge.peak() <= limit.get(),
        "peak {} exceeds the limit {limit}",
        gauge.peak()
    );
    ensure!(gauge.current() == 0, "children still counted as running");
    let rounds = (children as usize).div_ceil(limit.get());
    println!(
        "  all {children} exited with code 0; peak at once: {} (limit {limit}); {} for {rounds} rounds of {} (ideal {})",
        gauge.peak(),
        fmt_duration(elapsed),
        fmt_duration(sleep),
        fmt_duration(sleep * rounds as u32)
    );
    Ok(())
}

fn wait_status(status: WaitStatus) -> String {
    match status {
        WaitStatus::Exited(_, code) => format!("exit code {code}"),
        WaitStatus::Signaled(_, signal, _) => {
            format!(
                "terminated by signal {} ({})",
                signal as i32,
                signal.as_str()
            )
        }
        other => format!("{other:?}"),
    }
}
