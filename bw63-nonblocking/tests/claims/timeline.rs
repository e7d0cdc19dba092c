//! The blocked loop, seen in spans: the heartbeat's `tick` spans and the
//! `write` spans of the drawn runs, in-process and in the Chrome trace file
//! `--trace` writes. Every claim is about which spans were open when, never
//! about how long anything took.

use bw63_nonblocking::WritePath;
use bw63_nonblocking::drawn::{Pulse, WRITES, heartbeat_beside_writes};
use course_support::testing::{ChromeTrace, accepted, alone_in_process};

const EXE: &str = env!("CARGO_BIN_EXE_bw63-nonblocking");

#[test]
fn no_tick_begins_while_a_write_blocks_the_loop() {
    // The recorder keeps every span in the process: no other test's
    // heartbeat may tick beside this one.
    if !alone_in_process(
        module_path!(),
        "no_tick_begins_while_a_write_blocks_the_loop",
    ) {
        return;
    }
    let run = heartbeat_beside_writes(WritePath::Blocking).expect("the drawn run succeeds");
    let writes = run.named("write");
    assert_eq!(writes.intervals().len(), WRITES, "one span per write");
    assert_eq!(writes.lanes(), ["event loop"], "the writes ran on the loop");
    let ticks = run.named("tick");
    assert_eq!(ticks.lanes(), ["heartbeat"], "every tick on one lane");
    for write in writes.intervals() {
        let inside: Vec<_> = ticks
            .intervals()
            .iter()
            .filter(|tick| write.start < tick.start && tick.start < write.end)
            .collect();
        assert!(
            inside.is_empty(),
            "a tick began during a write that held the loop: {write:?}, {inside:?}"
        );
    }
    // The workload waits for ticks before each write and after the last, so
    // every write lies between two ticks: the heartbeat's longest silence
    // is at least the longest write, both measured by their spans.
    let pulse = Pulse::of(&run);
    assert_eq!(pulse.ticks_during_writes, 0, "{pulse:?}");
    assert!(pulse.longest_gap >= pulse.longest_write, "{pulse:?}");
    assert!(pulse.ticks > WRITES, "{pulse:?}");
}

#[test]
fn the_heartbeat_keeps_beating_beside_the_writer_thread() {
    if !alone_in_process(
        module_path!(),
        "the_heartbeat_keeps_beating_beside_the_writer_thread",
    ) {
        return;
    }
    let run = heartbeat_beside_writes(WritePath::WriterThread).expect("the drawn run succeeds");
    let writes = run.named("write");
    assert_eq!(writes.intervals().len(), WRITES, "one span per write");
    assert_eq!(
        writes.lanes(),
        ["writer"],
        "the writes ran on the writer thread"
    );
    assert_eq!(run.named("tick").lanes(), ["heartbeat"]);
    // While the writer thread writes, the loop is free: the heartbeat runs
    // (a 2 ms tick beside 15 ms writes) and its ticks begin inside writes.
    let pulse = Pulse::of(&run);
    assert!(pulse.ticks_during_writes >= 1, "{pulse:?}");
}

/// One span read back from a trace file: its name, its lane (the root span
/// it belongs to), its `lane` field, and when it began and ended (µs).
#[derive(Debug)]
struct Span {
    name: String,
    root: u64,
    lane_field: String,
    begin: f64,
    end: f64,
}

/// The spans of an async-style trace file (`b`/`e` events), each begin
/// matched with the next end of the same name on the same root.
fn spans(path: &std::path::Path) -> Vec<Span> {
    let text = std::fs::read_to_string(path).expect("the trace file is readable");
    let events: Vec<serde_json::Value> = serde_json::from_str(&text).expect("a JSON array");
    let mut open: Vec<Span> = Vec::new();
    let mut closed = Vec::new();
    for event in &events {
        let (Some(phase), Some(name)) = (event["ph"].as_str(), event["name"].as_str()) else {
            continue;
        };
        let root = event["id"].as_u64().unwrap_or_default();
        let ts = event["ts"].as_f64().unwrap_or_default();
        match phase {
            "b" => open.push(Span {
                name: name.to_owned(),
                root,
                lane_field: event["args"]["lane"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                begin: ts,
                end: ts,
            }),
            "e" => {
                let at = open
                    .iter()
                    .position(|s| s.name == name && s.root == root)
                    .expect("every end has its begin");
                let mut span = open.remove(at);
                span.end = ts;
                closed.push(span);
            }
            _ => {}
        }
    }
    assert!(open.is_empty(), "spans never ended: {open:?}");
    closed
}

#[test]
fn the_trace_file_shows_the_heartbeats_gap_while_the_loop_writes() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("loop.json");
    let path_arg = path.to_str().expect("a UTF-8 temporary path");
    let stdout = accepted(
        EXE,
        &[
            "--block", "20ms", "--files", "1", "--lines", "3", "--disk", "10ms", "--trace",
            path_arg,
        ],
    );
    assert!(stdout.contains(&format!("trace: {path_arg}")), "{stdout}");
    // A valid trace: a JSON array in which every span that began ended.
    let trace = ChromeTrace::read(&path);
    for name in ["heartbeat", "tick", "write"] {
        assert!(
            trace.count(name) > 0,
            "no {name:?} span: {:?}",
            trace.names()
        );
    }
    // Ticks share their heartbeat's lane: as many tick lanes as heartbeats
    // at most, not one per tick.
    assert!(trace.lanes("tick") <= trace.count("heartbeat"), "{trace:?}");
    assert!(trace.count("tick") > 2 * trace.lanes("tick"), "{trace:?}");

    let spans = spans(&path);
    let heartbeats: Vec<u64> = spans
        .iter()
        .filter(|s| s.name == "heartbeat")
        .map(|s| s.root)
        .collect();
    let ticks: Vec<&Span> = spans.iter().filter(|s| s.name == "tick").collect();
    assert!(
        ticks.iter().all(|t| heartbeats.contains(&t.root)),
        "every tick sits on a heartbeat's lane"
    );
    let writes = |lane: &str| -> Vec<&Span> {
        spans
            .iter()
            .filter(|s| s.name == "write" && s.lane_field.contains(lane))
            .collect()
    };
    let on_loop = writes("event loop");
    let on_thread = writes("writer");
    assert!(!on_loop.is_empty() && !on_thread.is_empty(), "{trace:?}");
    // The gap: every runtime in the demo that writes on the loop has one
    // thread, so no tick can begin inside a write there.
    for write in &on_loop {
        assert!(
            !ticks
                .iter()
                .any(|t| write.begin < t.begin && t.begin < write.end),
            "a tick began inside a write on the loop: {write:?}"
        );
    }
    // Beside the writer thread the heartbeat ran on: some tick began while
    // a write was open.
    assert!(
        on_thread
            .iter()
            .any(|w| ticks.iter().any(|t| w.begin < t.begin && t.begin < w.end)),
        "no tick began during any write on the writer thread"
    );
}

#[test]
fn a_trace_file_that_cannot_be_written_stops_the_run_before_any_work() {
    course_support::testing::refuses_an_unwritable_trace(EXE, &[]);
}
