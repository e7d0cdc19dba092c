//! Bounded channels far smaller than the grid never deadlock a pipeline,
//! and the workers cap how many I/O calls are in flight.

use std::sync::Arc;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use bw56_life::{CellIo, Grid, Serial, Strategy, run};
use bw58_refactor::{Pipeline, TwoPhasePipeline};
use course_support::InFlight;

/// How long a run may take before it counts as a deadlock. The runs below
/// take milliseconds; a deadlock takes forever. The margin is huge so a
/// loaded machine never trips it.
const DEADLOCK: Duration = Duration::from_secs(60);

/// Runs `generations` steps of `make()` on `grid` in a thread of its own and
/// fails (instead of hanging the test suite) if it does not finish in time.
fn run_or_deadlock(
    make: impl FnOnce() -> Box<dyn Strategy> + Send + 'static,
    grid: Grid,
    generations: usize,
    io: CellIo,
) -> Grid {
    let (done_tx, done_rx) = mpsc::channel();
    let runner = thread::spawn(move || {
        let mut strategy = make();
        let result = run(&mut *strategy, &grid, generations, &io);
        let _ = done_tx.send(result.map_err(|e| e.to_string()));
    });
    let result = done_rx
        .recv_timeout(DEADLOCK)
        .expect("the pipeline deadlocked: no result after 60 s");
    runner.join().expect("the runner does not panic");
    result.expect("no fault injected")
}

#[test]
fn capacity_one_on_a_ten_by_ten_grid_does_not_deadlock() {
    let grid = Grid::soup(10, 10, 5);
    let expected = run(&mut Serial, &grid, 3, &CellIo::none()).expect("serial");
    for workers in [1, 2, 4] {
        let got = run_or_deadlock(
            move || Box::new(Pipeline::with_capacity(workers, 1)),
            grid.clone(),
            3,
            CellIo::none(),
        );
        assert_eq!(got, expected, "pipeline, {workers} workers");
        let got = run_or_deadlock(
            move || Box::new(TwoPhasePipeline::with_capacity(workers, 1)),
            grid.clone(),
            3,
            CellIo::none(),
        );
        assert_eq!(got, expected, "two-phase pipeline, {workers} workers");
    }
}

#[test]
fn rendezvous_channels_do_not_deadlock_either() {
    // Capacity 0: every send waits for a receiver to take it.
    let grid = Grid::soup(12, 15, 9);
    let expected = run(&mut Serial, &grid, 2, &CellIo::none()).expect("serial");
    let got = run_or_deadlock(
        || Box::new(Pipeline::with_capacity(3, 0)),
        grid.clone(),
        2,
        CellIo::none(),
    );
    assert_eq!(got, expected);
    let got = run_or_deadlock(
        || Box::new(TwoPhasePipeline::with_capacity(3, 0)),
        grid,
        2,
        CellIo::none(),
    );
    assert_eq!(got, expected);
}

#[test]
fn slow_workers_with_capacity_one_do_not_deadlock() {
    // With I/O the workers are slower than the coordinator, so the channels
    // are full most of the time: the case a send-everything-first
    // coordinator cannot survive.
    let grid = Grid::soup(10, 10, 5);
    let expected = run(&mut Serial, &grid, 1, &CellIo::none()).expect("serial");
    let io = CellIo::new(Duration::from_micros(200));
    let got = run_or_deadlock(
        || Box::new(TwoPhasePipeline::with_capacity(2, 1)),
        grid.clone(),
        1,
        io.clone(),
    );
    assert_eq!(got, expected);
    let got = run_or_deadlock(|| Box::new(Pipeline::with_capacity(2, 1)), grid, 1, io);
    assert_eq!(got, expected);
}

#[test]
fn the_workers_cap_the_io_in_flight() {
    // Measured by instrumentation: the gauge counts I/O calls in progress.
    let grid = Grid::soup(6, 6, 2);
    let gauge = Arc::new(InFlight::new());
    let io = CellIo::new(Duration::from_millis(2)).with_gauge(Arc::clone(&gauge));
    let mut pipeline = Pipeline::new(3);
    pipeline.step(&grid, &io).expect("no fault injected");
    assert!(gauge.peak() <= 3, "peak {} with 3 workers", gauge.peak());
    assert_eq!(gauge.current(), 0);

    // Two phases of 3 workers: at most 3 counts and 3 logic calls at once.
    gauge.reset_peak();
    let mut pipeline = TwoPhasePipeline::new(3);
    pipeline.step(&grid, &io).expect("no fault injected");
    assert!(
        gauge.peak() <= 6,
        "peak {} with 3 + 3 workers",
        gauge.peak()
    );
    assert_eq!(gauge.current(), 0);
}
