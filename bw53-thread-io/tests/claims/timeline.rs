//! The blocking calls' timeline: a `blocking receive` span per call, on the
//! lane of the thread that made it — recorded in-process for the demo's
//! drawing, and in the Chrome trace file `--trace` writes.

use course_support::testing::{alone_in_process, traced_run};

const EXE: &str = env!("CARGO_BIN_EXE_bw53-thread-io");

#[test]
fn the_drawing_shows_one_lane_in_turn_against_five_at_once() {
    // The recorder keeps every span in the process: other tests' calls must
    // not run beside these.
    if !alone_in_process(
        module_path!(),
        "the_drawing_shows_one_lane_in_turn_against_five_at_once",
    ) {
        return;
    }
    let drawing = bw53_thread_io::drawing().expect("the drawn calls time out as they should");
    let [(_, serial), (_, threaded)] = &drawing.runs[..] else {
        panic!("two runs drawn, serial then threaded: {drawing:?}");
    };
    let chart = drawing.chart(72, 8);

    assert_eq!(serial.intervals().len(), 5, "{chart}");
    let current = std::thread::current();
    let this_thread = current.name().expect("the test harness names its threads");
    assert_eq!(serial.lanes(), [this_thread], "{chart}");
    assert_eq!(serial.peak_overlap(), 1, "one receive at a time: {chart}");

    assert_eq!(threaded.intervals().len(), 5, "{chart}");
    let mut lanes = threaded.lanes();
    lanes.sort_unstable();
    assert_eq!(
        lanes,
        ["thread 0", "thread 1", "thread 2", "thread 3", "thread 4"],
        "{chart}"
    );
    // Each receive blocks until its 50 ms timeout, and all five threads are
    // started before any is waited for, so the five waits overlap.
    assert_eq!(threaded.peak_overlap(), 5, "five receives at once: {chart}");

    // The note reads its figures off these timelines.
    assert!(drawing.note.contains("serial: 1 lane"), "{}", drawing.note);
    assert!(
        drawing
            .note
            .contains("threads: 5 lanes, 5 receives at once"),
        "{}",
        drawing.note
    );
}

#[test]
fn the_trace_file_has_every_call_on_its_threads_lane() {
    let (_, trace) = traced_run(
        EXE,
        &[
            "--numbers",
            "12,35",
            "--repeat",
            "1",
            "--calls",
            "3",
            "--timeout",
            "5ms",
        ],
    );
    // Three calls serially and three from threads, then the drawing's five
    // and five: every call is a span, on the main thread's lane or on a
    // lane of its own thread.
    assert_eq!(trace.count("blocking receive"), 3 + 3 + 5 + 5, "{trace:?}");
    assert_eq!(trace.lanes("blocking receive"), 1 + 3 + 5, "{trace:?}");
    assert!(trace.peak("blocking receive") > 1, "{trace:?}");
    assert!(trace.peak("blocking receive") <= 5, "{trace:?}");
    // Each number searched once serially (on main) and once on its thread.
    assert_eq!(trace.count("factorize"), 2 + 2, "{trace:?}");
    assert_eq!(trace.lanes("factorize"), 1 + 2, "{trace:?}");
}

#[test]
fn a_trace_file_that_cannot_be_written_stops_the_run_before_any_work() {
    course_support::testing::refuses_an_unwritable_trace(EXE, &[]);
}
