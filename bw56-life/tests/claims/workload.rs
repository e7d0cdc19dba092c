//! The seeded soup, the fingerprint, the simulated I/O and its injected faults.

use std::sync::Arc;
use std::time::Duration;

use bw56_life::measure::{check_agree, measure, pool_io_limit, serial_io_time};
use bw56_life::{CellIo, Fault, Grid, Phase, Serial, SimulationError, State, run, simulate};
use course_support::InFlight;

#[test]
fn soup_follows_the_lcg_by_hand() {
    // Seed 1: the LCG gives 1103527590, 377401575, 662824084, 1147902781,
    // 2035015474, 368800899, whose remainders mod 3 are 0, 0, 1, 1, 1, 0.
    let grid = Grid::soup(2, 3, 1);
    assert_eq!(grid.to_string(), "**-\n--*");
}

#[test]
fn fingerprint_is_fnv1a_over_cells() {
    // FNV-1a 64 of the single byte 1, and of 0, worked out by hand from the
    // offset basis and prime.
    let one = Grid::from_states(1, 1, vec![State::Alive]);
    let zero = Grid::from_states(1, 1, vec![State::Empty]);
    assert_eq!(one.fingerprint(), 0xaf63_bc4c_8601_b62c);
    assert_eq!(zero.fingerprint(), 0xaf63_bd4c_8601_b7df);
    let three = Grid::from_states(1, 3, vec![State::Alive, State::Empty, State::Alive]);
    assert_eq!(three.fingerprint(), 0xd0a3_9818_6727_32bf);
}

#[test]
fn failing_cell_is_reported_with_its_coordinates() {
    let grid = Grid::soup(4, 6, 3);
    let io = CellIo::new(Duration::ZERO).with_fault(Fault::error_at(2, 5));
    let err: SimulationError = simulate(&grid, &io).expect_err("cell (2, 5) fails");
    assert_eq!((err.y, err.x), (2, 5));
    let source = err.io_error().expect("an I/O error");
    assert_eq!(source.kind(), std::io::ErrorKind::ConnectionReset);
    assert!(err.to_string().contains("y=2, x=5"), "{err}");
    assert!(!err.is_panic());
}

#[test]
fn neighbour_fault_fires_only_when_neighbour_io_is_on() {
    let grid = Grid::soup(3, 3, 5);
    let fault = Fault::error_at(1, 1).in_phase(Phase::Neighbors);
    let without = CellIo::none().with_fault(fault);
    assert!(
        simulate(&grid, &without).is_ok(),
        "count_neighbors does no I/O by default"
    );
    let with = CellIo::none().with_neighbor_io(true).with_fault(fault);
    let err = simulate(&grid, &with).expect_err("neighbour I/O of (1, 1) fails");
    assert_eq!((err.y, err.x), (1, 1));
}

#[test]
#[should_panic(expected = "injected panic at cell (0, 1)")]
fn panic_fault_panics_in_the_cells_code() {
    let io = CellIo::none().with_fault(Fault::panic_at(0, 1));
    let _ = simulate(&Grid::soup(2, 2, 1), &io);
}

#[test]
fn panic_payload_becomes_an_error_naming_the_cell() {
    let payload = std::panic::catch_unwind(|| panic!("boom {}", 7)).expect_err("it panicked");
    let err = SimulationError::panicked(4, 2, payload);
    assert!(err.is_panic());
    assert_eq!((err.y, err.x), (4, 2));
    let chain = format!(
        "{err}: {}",
        std::error::Error::source(&err).expect("a source")
    );
    assert!(chain.contains("boom 7"), "{chain}");
}

#[test]
fn serial_io_calls_never_overlap_and_count_every_cell() {
    let gauge = Arc::new(InFlight::new());
    let grid = Grid::soup(5, 4, 2);
    let io = CellIo::new(Duration::from_micros(10))
        .with_neighbor_io(true)
        .with_gauge(Arc::clone(&gauge));
    let with_io = run(&mut Serial, &grid, 3, &io).expect("no fault");
    let without = run(&mut Serial, &grid, 3, &CellIo::none()).expect("no fault");
    assert_eq!(with_io, without, "I/O changes the time, never the result");
    assert_eq!(gauge.peak(), 1, "serial means one call at a time");
    assert_eq!(gauge.current(), 0);
}

#[test]
fn zero_generations_return_the_start() {
    let grid = Grid::soup(3, 7, 11);
    assert_eq!(
        run(&mut Serial, &grid, 0, &CellIo::none()).expect("nothing to fail"),
        grid
    );
}

#[test]
fn predictions_follow_cells_times_latency() {
    let io = CellIo::new(Duration::from_millis(1));
    assert_eq!(serial_io_time(100, 2, &io), Duration::from_millis(200));
    assert_eq!(
        serial_io_time(100, 1, &io.clone().with_neighbor_io(true)),
        Duration::from_millis(200)
    );
    assert_eq!(pool_io_limit(10_000, 10, 1, &io), Duration::from_secs(1));
    assert_eq!(pool_io_limit(101, 10, 1, &io), Duration::from_millis(11));
}

#[test]
fn check_agree_names_the_strategy_that_differs() {
    let grid = Grid::soup(4, 4, 9);
    let good = measure(&mut Serial, &grid, 2, &CellIo::none()).expect("no fault");
    let mut bad = good.clone();
    bad.name = "broken".to_owned();
    bad.grid.set(
        0,
        0,
        if bad.grid.get(0, 0) == State::Alive {
            State::Empty
        } else {
            State::Alive
        },
    );
    assert!(check_agree(&[good.clone(), good.clone()]).is_ok());
    let err = check_agree(&[good, bad]).expect_err("grids differ");
    assert!(
        err.to_string().starts_with("broken disagrees with serial"),
        "{err}"
    );
}
