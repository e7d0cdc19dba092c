//! Both pipelines compute exactly what the serial loop computes, generation
//! after generation, with any number of workers and any channel capacity.

use bw56_life::{CellIo, Grid, Serial, State, Strategy as LifeStrategy};
use bw58_refactor::{Pipeline, TwoPhasePipeline};
use proptest::prelude::*;

/// A grid of any size from 1x1 to 8x8 with arbitrary cells.
fn any_grid() -> impl Strategy<Value = Grid> {
    (1usize..=8, 1usize..=8).prop_flat_map(|(height, width)| {
        proptest::collection::vec(any::<bool>(), height * width).prop_map(move |alive| {
            let cells = alive
                .into_iter()
                .map(|a| if a { State::Alive } else { State::Empty })
                .collect();
            Grid::from_states(height, width, cells)
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn pipeline_matches_serial(
        grid in any_grid(),
        generations in 1usize..=5,
        workers in 1usize..=4,
        capacity in 0usize..=3,
    ) {
        let io = CellIo::none();
        // One pipeline for all generations: the workers are long-lived.
        let mut pipeline = Pipeline::with_capacity(workers, capacity);
        let mut expected = grid.clone();
        let mut got = grid;
        for _ in 0..generations {
            expected = Serial.step(&expected, &io).expect("serial");
            got = pipeline.step(&got, &io).expect("no fault injected");
            prop_assert_eq!(&got, &expected);
        }
    }

    #[test]
    fn two_phase_pipeline_matches_serial_with_neighbour_io(
        grid in any_grid(),
        generations in 1usize..=5,
        workers in 1usize..=4,
        capacity in 0usize..=3,
    ) {
        // The two-phase pipeline always does neighbour I/O; its reference is
        // Serial doing the same.
        let reference = CellIo::none().with_neighbor_io(true);
        let mut pipeline = TwoPhasePipeline::with_capacity(workers, capacity);
        let mut expected = grid.clone();
        let mut got = grid;
        for _ in 0..generations {
            expected = Serial.step(&expected, &reference).expect("serial");
            got = pipeline.step(&got, &CellIo::none()).expect("no fault injected");
            prop_assert_eq!(&got, &expected);
        }
    }
}

#[test]
fn the_course_soup_ends_with_the_same_final_line() {
    // `cargo run -p bw58-refactor -- --height 37 --width 23 --generations 7
    // --seed 99` must print bw56-life's line for every strategy.
    let strategies: [Box<dyn LifeStrategy>; 2] = [
        Box::new(Pipeline::new(10)),
        Box::new(TwoPhasePipeline::new(10)),
    ];
    for mut strategy in strategies {
        let line = bw56_life::cli::reference_final_line(&mut *strategy, &CellIo::none())
            .expect("no fault injected");
        assert_eq!(line, bw56_life::cli::REFERENCE_FINAL, "{}", strategy.name());
    }
}

#[test]
fn names_follow_the_course() {
    assert_eq!(Pipeline::new(1).name(), "pipeline");
    assert_eq!(TwoPhasePipeline::new(1).name(), "pipeline-2phase");
}
