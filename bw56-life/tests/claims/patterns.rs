//! Known patterns: the book's five glider generations (golden), the glider's
//! travel, a still life and an oscillator.

use bw56_life::{CellIo, ColumnPrinter, Grid, State, simulate};

fn step(grid: &Grid) -> Grid {
    simulate(grid, &CellIo::none()).expect("no I/O, nothing can fail")
}

fn from_rows(rows: &[&str]) -> Grid {
    let width = rows[0].len();
    let states = rows
        .iter()
        .flat_map(|row| row.chars())
        .map(|c| if c == '*' { State::Alive } else { State::Empty })
        .collect();
    Grid::from_states(rows.len(), width, states)
}

#[test]
fn glider_prints_the_golden_five_generations() {
    let mut columns = ColumnPrinter::new();
    let mut grid = Grid::glider();
    for _ in 0..5 {
        columns.append(grid.to_string());
        grid = step(&grid);
    }
    let text = columns.to_string();
    let rows: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(
        rows,
        [
            "---*----- | --------- | --------- | --------- | ---------",
            "----*---- | --*-*---- | ----*---- | ---*----- | ----*----",
            "--***---- | ---**---- | --*-*---- | ----**--- | -----*---",
            "--------- | ---*----- | ---**---- | ---**---- | ---***---",
            "--------- | --------- | --------- | --------- | ---------",
        ]
    );
    // The header numbers the generations.
    let header: Vec<&str> = text
        .lines()
        .next()
        .expect("header")
        .split('|')
        .map(str::trim)
        .collect();
    assert_eq!(header, ["0", "1", "2", "3", "4"]);
}

#[test]
fn glider_moves_one_cell_diagonally_every_four_generations() {
    let start = Grid::with_glider(12, 12).expect("room for the glider");
    let mut grid = start.clone();
    for _ in 0..4 {
        grid = step(&grid);
    }
    for (y, x, state) in start.cells() {
        assert_eq!(
            grid.get(y as isize + 1, x as isize + 1),
            state,
            "cell ({y}, {x}) shifted by (1, 1)"
        );
    }
    assert_eq!(grid.alive(), 5);
}

#[test]
fn glider_wraps_around_the_torus() {
    // On an 8×8 torus the glider travels 8 cells diagonally in 32 generations
    // and comes back to where it started.
    let start = Grid::with_glider(8, 8).expect("room for the glider");
    let mut grid = start.clone();
    for _ in 0..32 {
        grid = step(&grid);
    }
    assert_eq!(grid, start);
}

#[test]
fn block_is_a_still_life() {
    let block = from_rows(&["------", "--**--", "--**--", "------"]);
    assert_eq!(step(&block), block);
}

#[test]
fn blinker_oscillates_with_period_two() {
    let horizontal = from_rows(&["-----", "-----", "-***-", "-----", "-----"]);
    let vertical = from_rows(&["-----", "--*--", "--*--", "--*--", "-----"]);
    assert_eq!(step(&horizontal), vertical);
    assert_eq!(step(&vertical), horizontal);
}

#[test]
fn display_matches_the_book() {
    assert_eq!(
        Grid::glider().to_string(),
        "---*-----\n----*----\n--***----\n---------\n---------"
    );
}
