//! Both fan-out strategies compute exactly what the serial loop computes.

use bw56_life::{CellIo, Grid, Serial, State, Strategy as LifeStrategy, run};
use bw57_fanout::{LockingGrid, Scoped, ThreadPerCell, simulate_scoped, simulate_threaded};
use proptest::prelude::*;
use std::sync::Arc;

/// A grid of any size from 1x1 to 7x7 with arbitrary cells.
fn any_grid() -> impl Strategy<Value = Grid> {
    (1usize..=7, 1usize..=7).prop_flat_map(|(height, width)| {
        proptest::collection::vec(any::<bool>(), height * width).prop_map(move |alive| {
            let cells = alive
                .into_iter()
                .map(|a| if a { State::Alive } else { State::Empty })
                .collect();
            Grid::from_states(height, width, cells)
        })
    })
}

fn strategies() -> [Box<dyn LifeStrategy>; 2] {
    [
        Box::new(ThreadPerCell::default()),
        Box::new(Scoped::default()),
    ]
}

proptest! {
    // Each case starts up to 4 x 49 threads per strategy: keep the count modest.
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_strategy_matches_serial_generation_by_generation(
        grid in any_grid(),
        generations in 1usize..=4,
    ) {
        let io = CellIo::none();
        let mut expected = grid.clone();
        let mut got: Vec<Grid> = vec![grid.clone(); 2];
        for _ in 0..generations {
            expected = Serial.step(&expected, &io).expect("no fault injected");
            for (strategy, current) in strategies().iter_mut().zip(&mut got) {
                *current = strategy.step(current, &io).expect("no fault injected");
                prop_assert_eq!(&*current, &expected, "{} differs", strategy.name());
            }
        }
    }
}

#[test]
fn the_glider_moves_as_in_the_book() {
    let io = CellIo::none();
    let expected = run(&mut Serial, &Grid::glider(), 4, &io).expect("serial");
    for mut strategy in strategies() {
        let got = run(&mut *strategy, &Grid::glider(), 4, &io).expect("no fault injected");
        assert_eq!(got, expected, "{}", strategy.name());
    }
    // Generation 4 of the book's figure.
    assert_eq!(
        expected.to_string(),
        "---------\n----*----\n-----*---\n---***---\n---------"
    );
}

#[test]
fn the_step_functions_match_serial_with_neighbour_io() {
    // With neighbour I/O on, each cell thread does both calls; the result
    // must not change.
    let grid = Grid::soup(6, 5, 3);
    let io = CellIo::none().with_neighbor_io(true);
    let expected = Serial.step(&grid, &io).expect("serial");
    let threads = bw57_fanout::CellThreads::new();
    let locked = Arc::new(LockingGrid::from_grid(grid.clone()));
    let threaded = simulate_threaded(&locked, &io, &threads).expect("threaded");
    assert_eq!(threaded.into_grid(), expected);
    assert_eq!(
        simulate_scoped(&grid, &io, &threads).expect("scoped"),
        expected
    );
}

#[test]
fn the_default_soup_agrees_with_bw56() {
    // The course's cross-lesson check: 37x23, seed 99, 7 generations.
    for mut strategy in strategies() {
        let line = bw56_life::cli::reference_final_line(&mut *strategy, &CellIo::none())
            .expect("no fault injected");
        assert_eq!(line, bw56_life::cli::REFERENCE_FINAL, "{}", strategy.name());
    }
}
