//! Running a lesson's binary from its integration tests, running one test
//! alone in a process of its own, and checking that a child process is gone.
//!
//! Tests find the binary with `env!("CARGO_BIN_EXE_<name>")`. The environment
//! variable `RUST_BACKTRACE` is removed for the child, so that what a test reads
//! on stderr is the message a user would see, not a backtrace.

use std::io;
use std::process::{Command, Output};

use crate::platform;

/// Whether a process with id `pid` exists: running, or exited but not yet
/// reaped (a zombie). After its parent has reaped it, it does not.
///
/// Unix asks the kernel with signal 0 (`kill(pid, 0)`), Windows lists the
/// process with `tasklist`. An id can be reused by a new process, so check
/// soon after the process ended.
pub fn process_exists(pid: u32) -> io::Result<bool> {
    platform::process_exists(pid)
}

/// The environment variable that tells a test binary which test runs alone
/// in it ([`alone_in_process`]).
const ALONE: &str = "COURSE_SUPPORT_ALONE";

/// Runs a test alone in a new process of its test binary, for checks that
/// observe the whole process — its thread count — which tests running beside
/// it would disturb.
///
/// Called first thing in the test with `module_path!()` and the test's
/// function name. In the test's ordinary run it starts the test binary again
/// with only this test selected and one test thread, waits for it, panics
/// (showing its output) unless that run passed exactly one test, and returns
/// `false`: the caller then returns, its check done. In the new process it
/// returns `true`, and the caller goes on with the check.
///
/// ```no_run
/// #[test]
/// fn workers_are_joined() {
///     if !course_support::testing::alone_in_process(module_path!(), "workers_are_joined") {
///         return;
///     }
///     // Only this test's threads, and the harness's, exist in this process.
/// }
/// ```
///
/// # Panics
///
/// If the test binary cannot be started again, or the test fails there.
pub fn alone_in_process(module_path: &str, test: &str) -> bool {
    // The harness names a test by its path inside the test crate: the module
    // path without the crate's own name, then the function.
    let name = match module_path.split_once("::") {
        Some((_test_crate, inner)) => format!("{inner}::{test}"),
        None => test.to_owned(),
    };
    if std::env::var_os(ALONE).is_some_and(|alone| alone == name.as_str()) {
        return true;
    }
    let exe = std::env::current_exe().expect("a test binary knows its own path");
    let out = Command::new(&exe)
        .args([name.as_str(), "--exact", "--test-threads=1", "--nocapture"])
        .env(ALONE, &name)
        .output()
        .unwrap_or_else(|e| panic!("cannot start {} again: {e}", exe.display()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    // "1 passed" also guards against a name that selected no test at all.
    assert!(
        out.status.success() && stdout.contains("test result: ok. 1 passed"),
        "{name}, run alone in a process of its own, failed ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    false
}

/// Runs `exe` with `args` to completion and returns its output.
///
/// # Panics
///
/// If the binary cannot be started at all.
pub fn run_binary(exe: &str, args: &[&str]) -> Output {
    Command::new(exe)
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {exe}: {e}"))
}

/// Runs `exe` with `args`, which must succeed, and returns its stdout.
///
/// # Panics
///
/// If it fails (the message shows its stderr) or prints invalid UTF-8.
pub fn accepted(exe: &str, args: &[&str]) -> String {
    let out = run_binary(exe, args);
    assert!(
        out.status.success(),
        "{exe} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("the demo prints UTF-8")
}

/// Runs `exe` with `args`, which must be refused (exit non-zero), and
/// returns its stderr for the test to check the message.
///
/// # Panics
///
/// If it succeeds.
pub fn refused(exe: &str, args: &[&str]) -> String {
    let out = run_binary(exe, args);
    assert!(
        !out.status.success(),
        "{exe} {args:?} should have been refused"
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs `exe` with `args` and `--trace` naming a new temporary file, which
/// must succeed and say where the trace is; returns its stdout and the trace
/// read ([`ChromeTrace::read`]). The file is removed afterwards.
///
/// # Panics
///
/// If the run fails, does not name the trace file, or the file is not a
/// valid trace.
pub fn traced_run(exe: &str, args: &[&str]) -> (String, ChromeTrace) {
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let run = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("course-trace-{}-{run}.json", std::process::id()));
    let path_arg = path
        .to_str()
        .expect("the temporary directory's path is UTF-8");
    let mut all = args.to_vec();
    all.extend(["--trace", path_arg]);
    let stdout = accepted(exe, &all);
    assert!(
        stdout.contains(&format!("trace: {path_arg}")),
        "the run should say where its trace is: {stdout}"
    );
    let trace = ChromeTrace::read(&path);
    let _ = std::fs::remove_file(&path);
    (stdout, trace)
}

/// Checks that `exe`, run with `args` and `--trace` naming a file in a
/// directory that does not exist, is refused before any work: it exits
/// non-zero, says "cannot write the trace file" with the path, and prints
/// nothing on stdout (not even its banner).
///
/// # Panics
///
/// If any of that does not hold.
pub fn refuses_an_unwritable_trace(exe: &str, args: &[&str]) {
    let path = std::env::temp_dir()
        .join(format!("no such directory {}", std::process::id()))
        .join("trace.json");
    let path = path
        .to_str()
        .expect("the temporary directory's path is UTF-8");
    let mut all = args.to_vec();
    all.extend(["--trace", path]);
    let out = run_binary(exe, &all);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "{exe} {all:?} should have been refused"
    );
    assert!(
        stderr.contains("cannot write the trace file") && stderr.contains("no such directory"),
        "the error should name the trace file: {stderr}"
    );
    assert!(
        out.stdout.is_empty(),
        "nothing should run before the trace file is checked: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_test_runs_alone_in_a_process_of_its_own() {
        if !alone_in_process(module_path!(), "a_test_runs_alone_in_a_process_of_its_own") {
            // The check below ran, and passed, in the other process.
            return;
        }
        assert!(std::env::var_os(ALONE).is_some());
    }

    #[test]
    fn a_child_exists_until_it_is_reaped() {
        let mut child = Command::new(std::env::current_exe().expect("this test binary"))
            .arg("--list")
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("the test binary starts again");
        let pid = child.id();
        // Until its parent reaps it, a Unix child exists: running, or a
        // zombie once it has exited. (Windows has no zombies: an exited
        // process is no longer listed, reaped or not.)
        if cfg!(unix) {
            assert!(process_exists(pid).expect("asked"), "running or a zombie");
        }
        child.wait().expect("reaped");
        assert!(!process_exists(pid).expect("asked"), "reaped");
        assert!(process_exists(std::process::id()).expect("asked"));
    }
}

/// A Chrome trace file as the tests read it: for each span name, its lanes
/// and how many of its spans were open at once.
///
/// Both of `install`'s styles are read: threaded traces (`B`/`E` events, a
/// lane per thread id) and async ones (`b`/`e` events, a lane per span id).
#[derive(Debug, Default)]
pub struct ChromeTrace {
    spans: std::collections::BTreeMap<String, SpanEvents>,
}

#[derive(Debug, Default)]
struct SpanEvents {
    lanes: std::collections::BTreeSet<String>,
    begun: usize,
    /// (time in µs, +1 for a begin, -1 for an end)
    edges: Vec<(f64, i32)>,
}

impl ChromeTrace {
    /// Reads the trace file at `path`.
    ///
    /// # Panics
    ///
    /// If it cannot be read, is not a JSON array of events, an event lacks
    /// the fields its phase needs, or a span began without ending.
    pub fn read(path: &std::path::Path) -> Self {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read the trace file {}: {e}", path.display()));
        let events: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap_or_else(|e| {
            panic!(
                "the trace file {} is not a JSON array of events: {e}",
                path.display()
            )
        });
        let mut trace = Self::default();
        for event in &events {
            let phase = event["ph"].as_str().expect("every event has a phase");
            let (step, lane) = match phase {
                "B" | "E" => (phase == "B", event["tid"].to_string()),
                "b" | "e" => (phase == "b", event["id"].to_string()),
                _ => continue,
            };
            let name = event["name"].as_str().expect("a span event has a name");
            let ts = event["ts"].as_f64().expect("a span event has a time");
            let span = trace.spans.entry(name.to_owned()).or_default();
            span.lanes.insert(lane);
            span.begun += usize::from(step);
            span.edges.push((ts, if step { 1 } else { -1 }));
        }
        for (name, span) in &trace.spans {
            let ended = span.edges.len() - span.begun;
            assert_eq!(
                span.begun, ended,
                "every {name:?} span that began also ended"
            );
        }
        trace
    }

    /// The span names in the trace, sorted.
    pub fn names(&self) -> Vec<&str> {
        self.spans.keys().map(String::as_str).collect()
    }

    /// How many `name` spans began.
    pub fn count(&self, name: &str) -> usize {
        self.spans.get(name).map_or(0, |s| s.begun)
    }

    /// On how many lanes (threads, or async spans) `name` spans ran.
    pub fn lanes(&self, name: &str) -> usize {
        self.spans.get(name).map_or(0, |s| s.lanes.len())
    }

    /// The most `name` spans open at the same moment (one that ends when
    /// another begins does not overlap it).
    pub fn peak(&self, name: &str) -> usize {
        let Some(span) = self.spans.get(name) else {
            return 0;
        };
        let mut edges = span.edges.clone();
        edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut open = 0i32;
        let peak = edges
            .iter()
            .map(|&(_, step)| {
                open += step;
                open
            })
            .max()
            .unwrap_or(0);
        usize::try_from(peak).unwrap_or(0)
    }
}
