//! A failing or panicking cell reaches the caller as an error naming the
//! cell, and every thread is joined before it does.

use std::io::ErrorKind;
use std::sync::Arc;
use std::time::Duration;

use bw56_life::{CellIo, Fault, Grid, Phase, SimulationError, Strategy};
use bw57_fanout::{CellThreads, Scoped, ThreadPerCell, thread_start_failure};
use course_support::InFlight;

/// Both strategies, counting their live cell threads on `gauge`.
fn strategies(gauge: &Arc<InFlight>) -> [Box<dyn Strategy>; 2] {
    let threads = CellThreads::new().with_gauge(Arc::clone(gauge));
    [
        Box::new(ThreadPerCell::new(threads.clone())),
        Box::new(Scoped::new(threads)),
    ]
}

fn step_expecting_error(strategy: &mut dyn Strategy, grid: &Grid, io: &CellIo) -> SimulationError {
    match strategy.step(grid, io) {
        Ok(_) => panic!("{} succeeded despite the injected fault", strategy.name()),
        Err(error) => error,
    }
}

#[test]
fn failing_cell_is_reported_with_its_coordinates() {
    let grid = Grid::soup(4, 6, 1);
    let gauge = Arc::new(InFlight::new());
    for mut strategy in strategies(&gauge) {
        let io = CellIo::none().with_fault(Fault::error_at(3, 5));
        let error = step_expecting_error(&mut *strategy, &grid, &io);
        assert_eq!((error.y, error.x), (3, 5), "{}", strategy.name());
        assert!(!error.is_panic());
        let io_error = error.io_error().expect("an I/O error");
        assert_eq!(io_error.kind(), ErrorKind::ConnectionReset);
        assert!(
            thread_start_failure(&error).is_none(),
            "not a refused thread"
        );
    }
}

#[test]
fn panicking_cell_is_reported_not_propagated() {
    let grid = Grid::soup(3, 3, 1);
    let gauge = Arc::new(InFlight::new());
    for mut strategy in strategies(&gauge) {
        let io = CellIo::none().with_fault(Fault::panic_at(1, 2));
        let error = step_expecting_error(&mut *strategy, &grid, &io);
        assert_eq!((error.y, error.x), (1, 2), "{}", strategy.name());
        assert!(error.is_panic(), "{}: {error:?}", strategy.name());
        assert!(
            error
                .source
                .to_string()
                .contains("injected panic at cell (1, 2)"),
            "the panic message is kept: {}",
            error.source
        );
    }
}

#[test]
fn neighbour_phase_failures_are_reported_too() {
    let grid = Grid::soup(3, 4, 1);
    let gauge = Arc::new(InFlight::new());
    for fault in [Fault::error_at(2, 0), Fault::panic_at(0, 3)] {
        for mut strategy in strategies(&gauge) {
            let io = CellIo::none()
                .with_neighbor_io(true)
                .with_fault(fault.in_phase(Phase::Neighbors));
            let error = step_expecting_error(&mut *strategy, &grid, &io);
            assert_eq!(
                (error.y, error.x),
                (fault.y, fault.x),
                "{}",
                strategy.name()
            );
        }
    }
}

#[test]
fn every_thread_is_joined_before_the_error_returns() {
    // Cell (0, 0) fails at once; every other cell is still waiting on 20 ms
    // of I/O. A strategy that returned on the first error would leave those
    // threads running, and both gauges would show them.
    let grid = Grid::soup(5, 5, 1);
    for fault in [Fault::error_at(0, 0), Fault::panic_at(0, 0)] {
        let threads = Arc::new(InFlight::new());
        let waits = Arc::new(InFlight::new());
        for mut strategy in strategies(&threads) {
            let io = CellIo::new(Duration::from_millis(20))
                .with_gauge(Arc::clone(&waits))
                .with_fault(fault);
            let error = step_expecting_error(&mut *strategy, &grid, &io);
            assert_eq!((error.y, error.x), (0, 0));
            assert_eq!(
                threads.current(),
                0,
                "{}: cell threads still running",
                strategy.name()
            );
            assert_eq!(
                waits.current(),
                0,
                "{}: cell I/O still in flight",
                strategy.name()
            );
            assert!(threads.peak() >= 1);
        }
    }
}

#[test]
fn cell_threads_overlap_their_waits() {
    // Four cells each wait 200 ms; started one after another in well under
    // that, they must be waiting at the same time: the point of fanning out.
    let grid = Grid::soup(2, 2, 1);
    let threads = Arc::new(InFlight::new());
    for mut strategy in strategies(&threads) {
        let waits = Arc::new(InFlight::new());
        let io = CellIo::new(Duration::from_millis(200)).with_gauge(Arc::clone(&waits));
        strategy.step(&grid, &io).expect("no fault injected");
        assert!(
            waits.peak() >= 2,
            "{}: peak {} waits at once",
            strategy.name(),
            waits.peak()
        );
        assert_eq!(waits.current(), 0);
    }
    assert_eq!(threads.current(), 0);
}

#[test]
fn a_strategy_works_again_after_a_failure() {
    // Nothing of a failed generation is kept: the next call starts afresh.
    let grid = Grid::soup(4, 4, 1);
    let gauge = Arc::new(InFlight::new());
    for mut strategy in strategies(&gauge) {
        let io = CellIo::none().with_fault(Fault::error_at(1, 1));
        let first = step_expecting_error(&mut *strategy, &grid, &io);
        let io = CellIo::none().with_fault(Fault::panic_at(3, 2));
        let second = step_expecting_error(&mut *strategy, &grid, &io);
        assert_eq!((first.y, first.x, second.y, second.x), (1, 1, 3, 2));
        let ok = strategy
            .step(&grid, &CellIo::none())
            .expect("no fault injected");
        assert_eq!(
            ok,
            bw56_life::simulate(&grid, &CellIo::none()).expect("serial")
        );
    }
    assert_eq!(gauge.current(), 0);
}
