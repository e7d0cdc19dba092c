//! The pipeline's timeline: its `cell io` spans land on its worker threads'
//! lanes, in-process and in the Chrome trace file `--trace` writes, and never
//! more waits overlap than there are workers.

use std::sync::Arc;
use std::time::Duration;

use bw56_life::{CellIo, Grid, Strategy};
use bw58_refactor::Pipeline;
use course_support::InFlight;
use course_support::testing::traced_run;
use course_support::timeline;

const EXE: &str = env!("CARGO_BIN_EXE_bw58-refactor");

#[test]
fn a_pipeline_of_four_draws_four_worker_lanes_and_never_five_waits_at_once() {
    // The recorder keeps every span in the process: no other test's cells
    // may wait beside these.
    if !course_support::testing::alone_in_process(
        module_path!(),
        "a_pipeline_of_four_draws_four_worker_lanes_and_never_five_waits_at_once",
    ) {
        return;
    }
    let mut pipeline = Pipeline::new(4);
    let gauge = Arc::new(InFlight::new());
    let io = CellIo::new(Duration::from_millis(2)).with_gauge(Arc::clone(&gauge));
    let grid = Grid::glider();
    let (next, recorded) = timeline::record(|| pipeline.step(&grid, &io));
    next.expect("no cell fails");
    let waits = recorded.named("cell io");
    assert_eq!(waits.intervals().len(), grid.len(), "a wait per cell");
    let mut lanes = waits.lanes();
    lanes.sort_unstable();
    assert_eq!(lanes, ["worker 0", "worker 1", "worker 2", "worker 3"]);
    assert!(waits.peak_overlap() <= 4, "{}", waits.chart(72, 8));
    // The chart's overlap is the instrumented one: the spans and the gauge
    // count the same waits.
    assert_eq!(waits.peak_overlap(), gauge.peak(), "{}", waits.chart(72, 8));
}

#[test]
fn the_drawing_shows_a_lane_per_cell_against_four_worker_lanes() {
    if !course_support::testing::alone_in_process(
        module_path!(),
        "the_drawing_shows_a_lane_per_cell_against_four_worker_lanes",
    ) {
        return;
    }
    let drawing = bw58_refactor::drawing().expect("the small runs succeed and agree");
    let [(_, threads), (_, workers)] = &drawing.runs[..] else {
        panic!("two runs drawn, thread per cell then the pipeline: {drawing:?}");
    };
    let cells = Grid::glider().len();
    assert_eq!(threads.intervals().len(), cells, "a wait per cell");
    assert_eq!(workers.intervals().len(), cells, "a wait per cell");
    assert_eq!(threads.lanes().len(), cells, "{}", drawing.chart(72, 8));
    assert_eq!(workers.lanes().len(), 4, "{}", drawing.chart(72, 8));
    assert!(workers.peak_overlap() <= 4, "{}", drawing.chart(72, 8));
    // The cap is what the drawing is for: a thread per cell let more waits
    // overlap than the pipeline's four workers ever do.
    assert!(
        threads.peak_overlap() > workers.peak_overlap(),
        "{}",
        drawing.chart(72, 8)
    );
    assert!(
        drawing.note.contains(&format!(
            "4 worker lanes, at most {} waits at once",
            workers.peak_overlap()
        )),
        "{}",
        drawing.note
    );
}

#[test]
fn the_trace_file_shows_every_wait_on_four_worker_lanes() {
    let (_, trace) = traced_run(
        EXE,
        &[
            "--height",
            "6",
            "--width",
            "6",
            "--generations",
            "2",
            "--latency",
            "1ms",
            "--strategy",
            "pipeline",
            "--workers",
            "4",
        ],
    );
    assert_eq!(
        trace.count("cell io"),
        2 * 36,
        "a wait per cell and generation"
    );
    assert_eq!(trace.lanes("cell io"), 4, "{trace:?}");
    assert!(trace.peak("cell io") <= 4, "{trace:?}");
}
