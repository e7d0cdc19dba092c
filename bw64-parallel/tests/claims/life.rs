//! The rayon Life strategy equals the serial one.

use bw56_life::{CellIo, Fault, Grid, Serial, Strategy, run};
use bw64_parallel::RayonLife;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn rayon_equals_serial(
        height in 1usize..12,
        width in 1usize..12,
        seed in any::<u32>(),
        generations in 1usize..5,
        threads in 1usize..4,
    ) {
        let grid = Grid::soup(height, width, seed);
        let io = CellIo::none();
        let expected = run(&mut Serial, &grid, generations, &io).expect("no fault");
        let mut rayon = RayonLife::new(threads).expect("pool");
        prop_assert_eq!(run(&mut rayon, &grid, generations, &io).expect("no fault"), expected);
    }
}

#[test]
fn rayon_equals_serial_on_a_large_grid() {
    let grid = Grid::soup(300, 257, 64);
    let io = CellIo::none();
    let expected = run(&mut Serial, &grid, 3, &io).expect("no fault");
    assert_eq!(
        run(&mut RayonLife::new(2).expect("pool"), &grid, 3, &io).expect("no fault"),
        expected
    );
}

#[test]
fn failing_cell_is_reported() {
    let grid = Grid::soup(20, 20, 1);
    let err = RayonLife::new(2)
        .expect("pool")
        .step(&grid, &CellIo::none().with_fault(Fault::error_at(13, 7)))
        .expect_err("cell (13, 7) fails");
    assert_eq!((err.y, err.x), (13, 7));
}
