//! Far past the thread versions: 100,000 cells in one generation, and tens
//! of thousands of waits in flight at once on two cores.

use std::sync::Arc;
use std::time::Duration;

use bw56_life::{CellIo, Grid, Serial, Strategy};
use bw60_coroutines::{CellStep, Fanout, async_strategy};
use course_support::InFlight;

fn generation_of_100_000_cells(name: &str, fanout: Fanout) {
    let grid = Grid::soup(250, 400, 1);
    let expected = Serial.step(&grid, &CellIo::none()).expect("serial");
    let io = CellIo::new(Duration::from_millis(1));
    let mut strategy = async_strategy(name, fanout, CellStep::AsyncNeighbors).expect("starts");
    let next = strategy.step(&grid, &io).expect("no faults");
    assert_eq!(next, expected, "{}", strategy.name());
}

#[test]
fn tokio_completes_a_generation_of_100_000_cells() {
    generation_of_100_000_cells("tokio", Fanout::Join);
    generation_of_100_000_cells("tokio", Fanout::Spawn);
}

#[test]
fn tokio_current_thread_completes_a_generation_of_100_000_cells() {
    generation_of_100_000_cells("tokio-current-thread", Fanout::Join);
    generation_of_100_000_cells("tokio-current-thread", Fanout::Spawn);
}

#[test]
fn smol_completes_a_generation_of_100_000_cells() {
    generation_of_100_000_cells("smol", Fanout::Join);
    generation_of_100_000_cells("smol", Fanout::Spawn);
}

#[test]
fn async_std_completes_a_generation_of_100_000_cells() {
    generation_of_100_000_cells("async-std", Fanout::Join);
    generation_of_100_000_cells("async-std", Fanout::Spawn);
}

/// A pool of 10 threads has at most 10 waits in flight; a thread per cell
/// as many as the OS allows. Here each of 10,000 cells waits 250 ms, and
/// starting all of them takes a few milliseconds, so nearly all of them wait
/// at the same time. Half is asserted: that holds even if starting them were
/// 50 times slower than it is.
fn thousands_of_waits_overlap(name: &str) {
    let cells = 10_000;
    let grid = Grid::soup(100, 100, 6);
    for fanout in Fanout::ALL {
        let gauge = Arc::new(InFlight::new());
        let io = CellIo::new(Duration::from_millis(250)).with_gauge(Arc::clone(&gauge));
        let mut strategy = async_strategy(name, fanout, CellStep::AsyncNeighbors).expect("starts");
        strategy.step(&grid, &io).expect("no faults");
        assert!(
            gauge.peak() >= cells / 2,
            "{}: only {} of {cells} waits overlapped",
            strategy.name(),
            gauge.peak()
        );
        assert_eq!(gauge.current(), 0, "{}", strategy.name());
    }
}

#[test]
fn tokio_keeps_thousands_of_waits_in_flight() {
    thousands_of_waits_overlap("tokio");
}

#[test]
fn tokio_current_thread_keeps_thousands_of_waits_in_flight() {
    thousands_of_waits_overlap("tokio-current-thread");
}

#[test]
fn smol_keeps_thousands_of_waits_in_flight() {
    thousands_of_waits_overlap("smol");
}

#[test]
fn async_std_keeps_thousands_of_waits_in_flight() {
    thousands_of_waits_overlap("async-std");
}
