//! A thread per cell, seen on a timeline: one lane per cell, in the
//! recorded spans and in the Chrome trace file `--trace` writes.

use std::collections::BTreeSet;
use std::time::Duration;

use bw56_life::{CellIo, Grid, Strategy};
use bw57_fanout::{Scoped, ThreadPerCell};
use course_support::testing::traced_run;
use course_support::timeline;

const EXE: &str = env!("CARGO_BIN_EXE_bw57-fanout");

#[test]
fn a_run_of_n_cells_draws_n_lanes() {
    // The recorder keeps every span in the process: no other test may run
    // cells beside this one.
    if !course_support::testing::alone_in_process(module_path!(), "a_run_of_n_cells_draws_n_lanes")
    {
        return;
    }
    let grid = Grid::soup(3, 4, 7);
    let io = CellIo::new(Duration::from_millis(2));
    let strategies: [Box<dyn Strategy>; 2] = [
        Box::new(ThreadPerCell::default()),
        Box::new(Scoped::default()),
    ];
    for mut strategy in strategies {
        let (next, recorded) = timeline::record(|| strategy.step(&grid, &io));
        next.expect("no cell fails");
        let waits = recorded.named("cell io");
        assert_eq!(waits.intervals().len(), grid.len(), "{}", strategy.name());
        let lanes: BTreeSet<&str> = waits.lanes().into_iter().collect();
        let expected: BTreeSet<String> = grid
            .positions()
            .map(|(y, x)| format!("cell({y},{x})"))
            .collect();
        assert_eq!(
            lanes,
            expected.iter().map(String::as_str).collect(),
            "{}: a lane per cell, named after it",
            strategy.name()
        );
    }
}

#[test]
fn the_drawing_shows_one_lane_serially_and_a_lane_per_cell_with_threads() {
    // Alone: the drawing records, and the recorder keeps every span in the
    // process.
    if !course_support::testing::alone_in_process(
        module_path!(),
        "the_drawing_shows_one_lane_serially_and_a_lane_per_cell_with_threads",
    ) {
        return;
    }
    let drawing = bw57_fanout::drawing().expect("the small runs succeed and agree");
    let [(_, serial), (_, threads)] = &drawing.runs[..] else {
        panic!("two runs drawn, serial then thread per cell: {drawing:?}");
    };
    let cells = 8;
    assert_eq!(serial.intervals().len(), cells, "a wait per cell");
    assert_eq!(threads.intervals().len(), cells, "a wait per cell");
    assert_eq!(serial.lanes().len(), 1, "{}", drawing.chart(72, 8));
    assert_eq!(serial.peak_overlap(), 1, "{}", drawing.chart(72, 8));
    assert_eq!(threads.lanes().len(), cells, "{}", drawing.chart(72, 8));
    // Eight threads that each wait 5 ms start well within the first wait.
    assert!(threads.peak_overlap() > 1, "{}", drawing.chart(72, 8));
    // The note is measured from these runs, not written in advance.
    assert!(
        drawing.note.contains(&format!(
            "{cells} lanes, {} waits at once",
            threads.peak_overlap()
        )),
        "{}",
        drawing.note
    );
}

#[test]
fn the_trace_file_has_a_lane_per_cell_and_generation() {
    let (_, trace) = traced_run(
        EXE,
        &[
            "--height",
            "2",
            "--width",
            "3",
            "--generations",
            "2",
            "--latency",
            "1ms",
            "--strategy",
            "thread-per-cell",
        ],
    );
    // Six cells, two generations, a new thread for each: twelve lanes.
    assert_eq!(
        trace.count("cell io"),
        12,
        "one wait per cell and generation"
    );
    assert_eq!(trace.lanes("cell io"), 12, "{trace:?}");
}
