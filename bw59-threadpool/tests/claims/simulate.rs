//! The pool strategy against the serial baseline: equal results, errors
//! naming the cell, a pool that survives a failing generation, and
//! concurrency capped at the pool size.

use std::sync::Arc;
use std::time::Duration;

use bw56_life::{CellIo, Fault, Grid, Serial, Strategy, run};
use bw59_threadpool::{PoolStrategy, TokioBlockingStrategy};
use bw64_parallel::RayonLife;
use course_support::InFlight;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn pool_equals_serial(
        height in 1usize..9,
        width in 1usize..9,
        seed in any::<u32>(),
        generations in 1usize..5,
        workers in 1usize..5,
    ) {
        let grid = Grid::soup(height, width, seed);
        let io = CellIo::none();
        let expected = run(&mut Serial, &grid, generations, &io).expect("no fault");
        let mut pool = PoolStrategy::new(workers).expect("threads");
        prop_assert_eq!(run(&mut pool, &grid, generations, &io).expect("no fault"), expected);
    }
}

#[test]
fn every_pool_equals_serial_with_io_in_both_phases() {
    let grid = Grid::soup(9, 11, 4);
    let io = CellIo::new(Duration::from_micros(50)).with_neighbor_io(true);
    let expected = run(&mut Serial, &grid, 3, &io).expect("no fault");
    let strategies: Vec<Box<dyn Strategy>> = vec![
        Box::new(PoolStrategy::new(5).expect("threads")),
        Box::new(RayonLife::new(2).expect("threads")),
        Box::new(TokioBlockingStrategy::new(16).expect("runtime")),
    ];
    for mut strategy in strategies {
        let got = run(strategy.as_mut(), &grid, 3, &io).expect("no fault");
        assert_eq!(got, expected, "{}", strategy.name());
    }
}

#[test]
fn failing_cell_is_reported_and_the_pool_stays_usable() {
    let grid = Grid::soup(8, 8, 6);
    let mut pool = PoolStrategy::new(3).expect("threads");
    let failing = CellIo::new(Duration::from_micros(20)).with_fault(Fault::error_at(5, 6));
    let err = pool.step(&grid, &failing).expect_err("cell (5, 6) fails");
    assert_eq!((err.y, err.x), (5, 6));
    assert!(err.io_error().is_some());

    // The same pool computes the next generations correctly.
    let io = CellIo::none();
    let expected = run(&mut Serial, &grid, 2, &io).expect("no fault");
    assert_eq!(run(&mut pool, &grid, 2, &io).expect("no fault"), expected);
}

#[test]
fn panicking_cell_is_reported_with_its_coordinates() {
    let grid = Grid::soup(4, 5, 2);
    let mut pool = PoolStrategy::new(2).expect("threads");
    let err = pool
        .step(&grid, &CellIo::none().with_fault(Fault::panic_at(3, 1)))
        .expect_err("cell (3, 1) panics");
    assert_eq!((err.y, err.x), (3, 1));
    assert!(err.is_panic());
    assert!(
        pool.step(&grid, &CellIo::none()).is_ok(),
        "the workers survived"
    );
}

#[test]
fn first_error_in_cell_order_wins() {
    // Two failing cells would need two faults; instead the fault sits at the
    // last cell and the error must still name it, not a skipped cell.
    let grid = Grid::soup(3, 4, 8);
    let mut pool = PoolStrategy::new(2).expect("threads");
    let err = pool
        .step(&grid, &CellIo::none().with_fault(Fault::error_at(2, 3)))
        .expect_err("last cell fails");
    assert_eq!((err.y, err.x), (2, 3));
}

#[test]
fn concurrency_never_exceeds_the_pool_size() {
    let gauge = Arc::new(InFlight::new());
    let io = CellIo::new(Duration::from_micros(300)).with_gauge(Arc::clone(&gauge));
    let mut pool = PoolStrategy::new(4).expect("threads");
    pool.step(&Grid::soup(10, 10, 3), &io).expect("no fault");
    assert!(gauge.peak() <= 4, "peak {} with 4 workers", gauge.peak());
    assert!(gauge.peak() >= 1);
    assert_eq!(gauge.current(), 0, "nothing in flight after the generation");
}
