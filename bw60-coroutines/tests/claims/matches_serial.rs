//! Every runtime, with either fan-out, computes exactly what the serial
//! simulation (item 56) computes, generation after generation.

use std::cell::RefCell;
use std::time::Duration;

use bw56_life::{CellIo, Grid, Serial, Strategy, run};
use bw60_coroutines::{ASYNC_STRATEGIES, CellStep, Fanout, async_strategy};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Every async strategy of the crate: four runtimes, two fan-outs.
fn every_async_strategy(step: CellStep) -> Vec<Box<dyn Strategy>> {
    ASYNC_STRATEGIES
        .iter()
        .flat_map(|name| Fanout::ALL.map(|fanout| (name, fanout)))
        .map(|(name, fanout)| async_strategy(name, fanout, step).expect("the runtime starts"))
        .collect()
}

#[test]
fn every_runtime_matches_serial() {
    // The runtimes are started once and reused by every case, as a demo
    // reuses them from one generation to the next.
    let strategies = RefCell::new(every_async_strategy(CellStep::AsyncNeighbors));
    let mut runner = TestRunner::new(Config {
        cases: 24,
        ..Config::default()
    });
    let inputs = (
        1usize..=8,
        1usize..=8,
        any::<u32>(),
        1usize..=4,
        any::<bool>(),
        prop_oneof![Just(0u64), Just(50u64)],
    );
    runner
        .run(
            &inputs,
            |(height, width, seed, generations, neighbor_io, latency_us)| {
                let grid = Grid::soup(height, width, seed);
                let io =
                    CellIo::new(Duration::from_micros(latency_us)).with_neighbor_io(neighbor_io);
                let expected = run(&mut Serial, &grid, generations, &CellIo::none())
                    .expect("the serial rules cannot fail without faults");
                for strategy in strategies.borrow_mut().iter_mut() {
                    let got = run(strategy.as_mut(), &grid, generations, &io)
                        .map_err(|e| TestCaseError::fail(format!("{}: {e}", strategy.name())))?;
                    prop_assert_eq!(&got, &expected, "{} differs", strategy.name());
                }
                Ok(())
            },
        )
        .expect("every async strategy equals serial");
}

#[test]
fn step_one_matches_serial_too() {
    // Step 1 calls the blocking count_neighbors; with no latency that is
    // just the rules, and the grid must be the same.
    let grid = Grid::soup(9, 7, 5);
    let io = CellIo::none().with_neighbor_io(true);
    let expected = run(&mut Serial, &grid, 3, &io).expect("serial");
    for mut strategy in every_async_strategy(CellStep::AsyncLogic) {
        let got = run(strategy.as_mut(), &grid, 3, &io).expect("no faults");
        assert_eq!(got, expected, "{}", strategy.name());
        assert!(strategy.name().ends_with("+step1"), "{}", strategy.name());
    }
}

#[test]
fn the_glider_glides_on_every_runtime() {
    let glider = Grid::glider();
    let expected = run(&mut Serial, &glider, 4, &CellIo::none()).expect("serial");
    for mut strategy in every_async_strategy(CellStep::AsyncNeighbors) {
        let got = run(strategy.as_mut(), &glider, 4, &CellIo::none()).expect("no faults");
        assert_eq!(got, expected, "{}", strategy.name());
    }
}

#[test]
fn the_course_fingerprint_is_reproduced() {
    // The line every Life lesson prints for
    // `--height 37 --width 23 --generations 7 --seed 99`.
    let io = CellIo::new(Duration::from_micros(20));
    for mut strategy in every_async_strategy(CellStep::AsyncNeighbors) {
        let line = bw56_life::cli::reference_final_line(strategy.as_mut(), &io).expect("no faults");
        assert_eq!(line, bw56_life::cli::REFERENCE_FINAL, "{}", strategy.name());
    }
}

#[test]
fn strategies_are_named_as_the_command_line_spells_them() {
    let names: Vec<String> = every_async_strategy(CellStep::AsyncNeighbors)
        .iter()
        .map(|s| s.name())
        .collect();
    assert_eq!(
        names,
        [
            "tokio+spawn",
            "tokio",
            "tokio-current-thread+spawn",
            "tokio-current-thread",
            "smol+spawn",
            "smol",
            "async-std+spawn",
            "async-std",
        ]
    );
    let unknown = async_strategy("trio", Fanout::Join, CellStep::AsyncNeighbors)
        .err()
        .expect("not a runtime of this crate");
    assert_eq!(unknown.kind(), std::io::ErrorKind::InvalidInput);
    assert!(unknown.to_string().contains("\"trio\""), "{unknown}");
}
