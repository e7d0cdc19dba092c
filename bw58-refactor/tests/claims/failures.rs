//! A failing or panicking cell, in either phase, comes back as an error
//! naming the cell; the pipeline stays usable, and no worker is lost.

use std::io::ErrorKind;
use std::time::Duration;

use bw56_life::{CellIo, Fault, Grid, Phase, Serial, SimulationError, Strategy};
use bw58_refactor::{LiveWorkers, Pipeline, TwoPhasePipeline};

/// Both pipelines with their live-worker counts and expected counts.
fn pipelines(workers: usize, capacity: usize) -> Vec<(Box<dyn Strategy>, LiveWorkers, usize)> {
    let one = Pipeline::with_capacity(workers, capacity);
    let two = TwoPhasePipeline::with_capacity(workers, capacity);
    let (live_one, live_two) = (one.live_workers(), two.live_workers());
    vec![
        (Box::new(one), live_one, workers),
        (Box::new(two), live_two, 2 * workers),
    ]
}

fn expect_error(strategy: &mut dyn Strategy, grid: &Grid, io: &CellIo) -> SimulationError {
    match strategy.step(grid, io) {
        Ok(_) => panic!("{} succeeded despite the injected fault", strategy.name()),
        Err(error) => error,
    }
}

fn all_faults(y: usize, x: usize) -> [Fault; 4] {
    [
        Fault::error_at(y, x),
        Fault::panic_at(y, x),
        Fault::error_at(y, x).in_phase(Phase::Neighbors),
        Fault::panic_at(y, x).in_phase(Phase::Neighbors),
    ]
}

#[test]
fn failures_in_either_phase_name_the_cell() {
    let grid = Grid::soup(7, 5, 4);
    for fault in all_faults(4, 2) {
        for (mut strategy, _, _) in pipelines(3, 2) {
            // Neighbour I/O on, so the one-phase pipeline does it too (in
            // the coordinator) and a Neighbors fault is reached by both.
            let io = CellIo::none().with_neighbor_io(true).with_fault(fault);
            let error = expect_error(&mut *strategy, &grid, &io);
            let name = strategy.name();
            assert_eq!((error.y, error.x), (4, 2), "{name}, {fault:?}");
            match fault.kind {
                bw56_life::FaultKind::Error => {
                    let io_error = error.io_error().expect("an I/O error");
                    assert_eq!(io_error.kind(), ErrorKind::ConnectionReset, "{name}");
                    assert!(io_error.to_string().contains(&format!("{:?}", fault.phase)));
                }
                bw56_life::FaultKind::Panic => {
                    assert!(error.is_panic(), "{name}: {error:?}");
                    assert!(
                        error.source.to_string().contains("injected panic"),
                        "{name}"
                    );
                }
            }
        }
    }
}

#[test]
fn two_phase_forces_neighbour_io_on() {
    // The caller's CellIo leaves neighbour I/O off; the two-phase pipeline
    // still does it, so a Neighbors fault fires there and not in the
    // one-phase pipeline.
    let grid = Grid::soup(4, 4, 4);
    let io = CellIo::none().with_fault(Fault::error_at(1, 3).in_phase(Phase::Neighbors));
    let error = expect_error(&mut TwoPhasePipeline::new(2), &grid, &io);
    assert_eq!((error.y, error.x), (1, 3));
    let ok = Pipeline::new(2)
        .step(&grid, &io)
        .expect("no neighbour I/O, no fault");
    assert_eq!(ok, Serial.step(&grid, &CellIo::none()).expect("serial"));
}

#[test]
fn a_pipeline_is_reusable_after_an_error() {
    let grid = Grid::soup(9, 9, 8);
    let expected = Serial.step(&grid, &CellIo::none()).expect("serial");
    for fault in all_faults(0, 0).into_iter().chain(all_faults(8, 8)) {
        for (mut strategy, live, workers) in pipelines(2, 1) {
            let io = CellIo::new(Duration::from_micros(50))
                .with_neighbor_io(true)
                .with_fault(fault);
            expect_error(&mut *strategy, &grid, &io);
            // No worker died with the failing cell...
            assert_eq!(live.get(), workers, "{}", strategy.name());
            // ...and no stale result of the failed generation is left behind
            // to corrupt the next one.
            for _ in 0..2 {
                let next = strategy.step(&grid, &CellIo::none()).expect("no fault");
                assert_eq!(next, expected, "{} after {fault:?}", strategy.name());
            }
        }
    }
}

#[test]
fn no_worker_is_left_running_after_drop() {
    let grid = Grid::soup(6, 7, 1);
    for (mut strategy, live, workers) in pipelines(4, 3) {
        assert_eq!(live.get(), workers, "all workers start in the constructor");
        strategy.step(&grid, &CellIo::none()).expect("no fault");
        drop(strategy);
        assert_eq!(live.get(), 0);
    }
    // Also right after a failure, and without ever stepping.
    for (mut strategy, live, _) in pipelines(4, 3) {
        let io = CellIo::none().with_fault(Fault::panic_at(2, 2));
        expect_error(&mut *strategy, &grid, &io);
        drop(strategy);
        assert_eq!(live.get(), 0);
    }
    for (strategy, live, _) in pipelines(5, 0) {
        drop(strategy);
        assert_eq!(live.get(), 0);
    }
}

#[test]
fn a_pipeline_needs_a_worker() {
    let refused = std::panic::catch_unwind(|| Pipeline::new(0));
    assert!(refused.is_err());
    let refused = std::panic::catch_unwind(|| TwoPhasePipeline::new(0));
    assert!(refused.is_err());
}
