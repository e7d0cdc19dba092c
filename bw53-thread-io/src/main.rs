//! The narrated demo of item 53: threads for CPU work (parallel in Rust, not
//! in Python), then threads for blocking system calls (overlapped in both).

use std::hint::black_box;
use std::time::Duration;

use anyhow::{Context, bail, ensure};
use bw53_thread_io::{
    BOOK_NUMBERS, Location, compute_helicopter_location, factorize_serial, factorize_sqrt,
    factorize_threads, run_serial, run_threaded, slow_systemcall,
};
use clap::Parser;
use course_support::timeline::{Lanes, TraceArgs};
use course_support::{fmt_duration, timed};

/// The book's code (factorize serially, then with a thread per number), run
/// with CPython 3.11 on the course's 2-core machine.
const PYTHON_FACTORIZE_SERIAL_S: f64 = 0.24;
const PYTHON_FACTORIZE_THREADS_S: f64 = 0.22;
/// The book's five 0.1 s `select` calls, each on a connected loopback socket
/// that never receives data (like ours), same Python, same machine.
const PYTHON_IO_SERIAL_S: f64 = 0.51;
const PYTHON_IO_THREADS_S: f64 = 0.11;

/// The longest timeout `--timeout` accepts: the serial run waits
/// `calls × timeout`, and the demo should stay short.
const MAX_TIMEOUT: Duration = Duration::from_secs(10);
/// The shortest: a call must block for a measurable time to show anything
/// (and a zero receive timeout would mean no timeout at all).
const MIN_TIMEOUT: Duration = Duration::from_millis(1);

#[derive(Parser)]
#[command(about = "Item 53: use threads for blocking I/O; in Rust they also run in parallel")]
struct Cli {
    /// Numbers to factorize, comma-separated (each from 1 to 1000000000).
    #[arg(long, value_delimiter = ',', default_values_t = BOOK_NUMBERS, value_parser = parse_number)]
    numbers: Vec<u64>,
    /// How many times each thread factorizes its number in the repeated run,
    /// to make the work long enough to measure.
    #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    repeat: u32,
    /// How many blocking calls to make, serially and from as many threads.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=100))]
    calls: u32,
    /// The timeout of each blocking call, like 100ms or 0.5s (from 1ms to 10s).
    #[arg(long, default_value = "100ms", value_parser = parse_timeout)]
    timeout: Duration,
    #[command(flatten)]
    trace: TraceArgs,
}

/// The largest number `--numbers` accepts: the naive search tries every
/// candidate, about a second and a half per thousand million.
const MAX_NUMBER: u64 = 1_000_000_000;

fn parse_number(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(0) => Err("0 has no divisors to find; expected a whole number of at least 1".to_owned()),
        Ok(number) if number > MAX_NUMBER => Err(format!(
            "{number} would take the naive search too long; expected at most {MAX_NUMBER}"
        )),
        Ok(number) => Ok(number),
        Err(e) => Err(format!("{text:?} is not a whole number of at least 1: {e}")),
    }
}

fn parse_timeout(text: &str) -> Result<Duration, String> {
    let timeout = course_support::parse_duration(text)?;
    if timeout > MAX_TIMEOUT {
        return Err(format!(
            "timeout {text:?} is too long for a demo; expected at most 10s"
        ));
    }
    if timeout < MIN_TIMEOUT {
        return Err(format!(
            "timeout {text:?} is too short to block for a measurable time; expected at least 1ms"
        ));
    }
    Ok(timeout)
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // Before any work, so a trace file that cannot be written stops the run.
    let tracing = cli.trace.install(Lanes::Threads)?;
    course_support::banner(
        "bw53-thread-io: threads for blocking I/O, and (in Rust) for parallelism",
    );
    let numbers = cli
        .numbers
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(" ");
    println!(
        "numbers: {numbers} | repeat: {} | calls: {} x {}",
        cli.repeat,
        cli.calls,
        fmt_duration(cli.timeout)
    );

    factorize_part(&cli.numbers, cli.repeat)?;
    blocking_part(cli.calls as usize, cli.timeout)?;

    println!(
        "takeaway: Rust threads run CPU work in parallel (Python's GIL prevents it) and overlap\n          \
         blocking calls (as in Python); a thread per call is fine for a handful, not for thousands."
    );
    tracing.close();
    Ok(())
}

/// Part 1: the same factorization serially and with a thread per number.
fn factorize_part(numbers: &[u64], repeat: u32) -> anyhow::Result<()> {
    println!(
        "\n[1/2] CPU work: every divisor of each number by trial division, serially \
         and with a thread per number"
    );
    // The book's workload once, then the same work repeated on each thread so
    // the run is long enough that starting threads is a negligible part of it.
    let repeats: Vec<u32> = if repeat == 1 {
        vec![1]
    } else {
        vec![1, repeat]
    };
    let mut rows = Vec::new();
    for &times in &repeats {
        let (serial, serial_time) = timed(|| factorize_serial(numbers, times));
        let (threaded, threads_time) = timed(|| factorize_threads(numbers, times));
        // Verify before any figure is printed: both runs must agree with each
        // other and with the independent square-root method.
        ensure!(
            serial == threaded,
            "the threaded run found different divisors from the serial run"
        );
        for (number, divisors) in numbers.iter().zip(&serial) {
            ensure!(
                *divisors == factorize_sqrt(*number),
                "the divisors of {number} disagree with the square-root check"
            );
        }
        rows.push((times, serial_time, threads_time));
    }
    println!("ok: serial and threaded runs found the same divisors, confirmed by a √n check");
    for &number in numbers {
        let divisors = factorize_sqrt(number);
        let shown: Vec<String> = divisors.iter().take(12).map(u64::to_string).collect();
        let more = if divisors.len() > 12 { " ..." } else { "" };
        println!("  {number:>10}: {}{more}", shown.join(" "));
    }

    print_header(&format!("{} threads", numbers.len()));
    for (times, serial_time, threads_time) in rows {
        let label = if times == 1 {
            "each number once".to_owned()
        } else {
            format!("each number {times} times")
        };
        print_row(&label, serial_time, threads_time);
    }
    if numbers == BOOK_NUMBERS {
        print_row(
            "Python (book's code)",
            Duration::from_secs_f64(PYTHON_FACTORIZE_SERIAL_S),
            Duration::from_secs_f64(PYTHON_FACTORIZE_THREADS_S),
        );
    }
    println!(
        "  Python's threads take turns holding the GIL; Rust's run at once, up to {} cores \
         ({}.00x at best).",
        course_support::cores(),
        course_support::cores()
    );
    if let Some(load) = load_average() {
        // Other programs compete for the same cores; say so next to the figure
        // they lower, rather than let a low speedup look like the lesson.
        println!(
            "  machine load (1-minute average): {load:.2}; other work on the cores lowers the speedup"
        );
    }
    Ok(())
}

/// Part 2: blocking system calls serially, then from a thread each while the
/// main thread computes helicopter locations.
fn blocking_part(calls: usize, timeout: Duration) -> anyhow::Result<()> {
    println!(
        "\n[2/2] blocking I/O: {calls} receives with a {} timeout on loopback TCP connections \
         that never get data",
        fmt_duration(timeout)
    );
    let call = |index: usize| {
        slow_systemcall(timeout).with_context(|| format!("blocking call {index} failed"))
    };

    let (serial, serial_time) = timed(|| run_serial(calls, call));
    let mut last_location = None::<Location>;
    let (threaded, threads_time) = timed(|| {
        run_threaded(calls, call, |index| {
            // `black_box` keeps the optimiser from skipping work whose result
            // is only printed once at the end.
            last_location = Some(black_box(compute_helicopter_location(index)));
        })
    });
    let threaded = threaded.context("the threaded run could not start its threads")?;

    // Verify: every call, in both runs, ended by timing out after at least the
    // timeout — the kernel really blocked each thread that long.
    for blocked in serial.into_iter().chain(threaded.results) {
        let blocked = blocked?;
        if blocked < timeout {
            bail!(
                "a call returned after {} although its timeout was {}",
                fmt_duration(blocked),
                fmt_duration(timeout)
            );
        }
    }
    println!(
        "ok: all {} calls timed out, each blocked at least {}",
        2 * calls,
        fmt_duration(timeout)
    );

    print_header(&format!("{calls} threads"));
    print_row("Rust", serial_time, threads_time);
    if calls == 5 && timeout == Duration::from_millis(100) {
        print_row(
            "Python (select, silent)",
            Duration::from_secs_f64(PYTHON_IO_SERIAL_S),
            Duration::from_secs_f64(PYTHON_IO_THREADS_S),
        );
        println!(
            "  Python gains here too: a thread blocked in a system call has released the GIL."
        );
    }
    match last_location {
        Some(at) => println!(
            "  meanwhile the main thread computed {} helicopter locations (last: {:.1} m east, \
             {:.1} m north)",
            threaded.main_iterations, at.east_m, at.north_m
        ),
        None => println!("  the calls ended before the main thread computed any location"),
    }
    // The same contrast drawn from the calls' own spans: where each thread
    // waited, and how many waited at once.
    bw53_thread_io::drawing()?.print();
    Ok(())
}

/// The header of a timing table; the serial run is the baseline.
fn print_header(threads: &str) {
    println!(
        "  {:<26} {:>10} {:>10} {:>9}",
        "run (baseline: serial)", "serial", threads, "speedup"
    );
}

/// One line of a timing table, in the header's fixed-width columns.
fn print_row(label: &str, serial: Duration, threads: Duration) {
    println!(
        "  {label:<26} {:>10} {:>10} {:>8.2}x",
        fmt_duration(serial),
        fmt_duration(threads),
        serial.as_secs_f64() / threads.as_secs_f64()
    );
}

/// The 1-minute load average from `/proc/loadavg`, if it can be read: on
/// Linux. Other systems have no such file, and the demo leaves the line out.
fn load_average() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next()?.parse().ok()
}
