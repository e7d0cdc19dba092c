//! A failing or panicking cell is reported with its coordinates, and the
//! rest of its generation is cancelled — observed with the I/O gauge.

use std::io;
use std::time::Duration;

use bw56_life::{CellIo, Fault, Grid, Phase, Serial, Strategy};
use bw60_coroutines::failure::fail_and_watch;
use bw60_coroutines::{ASYNC_STRATEGIES, CellStep, Fanout, async_strategy};

fn every_async_strategy() -> Vec<Box<dyn Strategy>> {
    ASYNC_STRATEGIES
        .iter()
        .flat_map(|name| Fanout::ALL.map(|fanout| (name, fanout)))
        .map(|(name, fanout)| {
            async_strategy(name, fanout, CellStep::AsyncNeighbors).expect("the runtime starts")
        })
        .collect()
}

#[test]
fn failing_cell_is_reported_and_the_others_are_cancelled() {
    let grid = Grid::soup(40, 40, 8);
    // Every cell waits twice; the failing one fails before its first wait,
    // while the others are waiting. A cell left running would finish its
    // first wait and start its second within one latency, so three
    // latencies of silence after the error show that none was left.
    let latency = Duration::from_millis(20);
    let io = CellIo::new(latency).with_neighbor_io(true);
    for fault in [
        Fault::error_at(17, 3).in_phase(Phase::Neighbors),
        Fault::error_at(39, 39).in_phase(Phase::Logic),
    ] {
        for mut strategy in every_async_strategy() {
            let name = strategy.name();
            let after = fail_and_watch(strategy.as_mut(), &grid, &io, fault, latency * 3)
                .expect("the generation fails");
            assert_eq!((after.error.y, after.error.x), (fault.y, fault.x), "{name}");
            let source = after.error.io_error().expect("an I/O error, not a panic");
            assert_eq!(source.kind(), io::ErrorKind::ConnectionReset, "{name}");
            assert!(after.peak_in_flight > 1, "{name}: other cells were waiting");
            assert_eq!(after.in_flight_after, 0, "{name}: waits still in flight");
            assert_eq!(
                after.started_after, 0,
                "{name}: I/O started after the error"
            );
        }
    }
}

#[test]
fn the_error_does_not_wait_for_the_other_cells() {
    // If the failing generation waited for its other cells instead of
    // cancelling them, it would return after a full minute.
    let latency = Duration::from_secs(60);
    let grid = Grid::soup(30, 30, 2);
    let io = CellIo::new(latency);
    let fault = Fault::error_at(5, 6);
    for mut strategy in every_async_strategy() {
        let name = strategy.name();
        let after = fail_and_watch(strategy.as_mut(), &grid, &io, fault, Duration::ZERO)
            .expect("the generation fails");
        assert_eq!((after.error.y, after.error.x), (5, 6), "{name}");
        assert_eq!(after.in_flight_after, 0, "{name}");
        assert!(
            after.elapsed < latency / 5,
            "{name} took {:?}: it waited for cells it should have cancelled",
            after.elapsed
        );
    }
}

#[test]
fn panicking_cell_is_reported_with_its_cell() {
    let grid = Grid::soup(12, 9, 4);
    let healthy = CellIo::new(Duration::from_micros(100)).with_neighbor_io(true);
    let expected = Serial.step(&grid, &CellIo::none()).expect("serial");
    for phase in [Phase::Neighbors, Phase::Logic] {
        let io = healthy
            .clone()
            .with_fault(Fault::panic_at(11, 8).in_phase(phase));
        for mut strategy in every_async_strategy() {
            let name = strategy.name();
            let error = strategy
                .step(&grid, &io)
                .expect_err("the panicking cell fails the generation");
            assert_eq!((error.y, error.x), (11, 8), "{name}");
            assert!(error.is_panic(), "{name}: {error:?}");
            assert!(
                format!("{:?}", error.source).contains("injected panic"),
                "{name}: the panic's message is kept: {error:?}"
            );
            // The runtime survived the panic and computes the next
            // generation as if nothing had happened.
            let next = strategy.step(&grid, &healthy).expect("no fault this time");
            assert_eq!(next, expected, "{name}");
        }
    }
}

#[test]
fn a_fault_outside_the_grid_is_never_hit() {
    let grid = Grid::soup(4, 4, 1);
    let io = CellIo::none().with_fault(Fault::error_at(10, 10));
    let expected = Serial.step(&grid, &CellIo::none()).expect("serial");
    for mut strategy in every_async_strategy() {
        assert_eq!(strategy.step(&grid, &io).expect("no cell fails"), expected);
    }
}
