//! Item 56 in one page: recognize when concurrency is necessary.
//!
//! The book's Game of Life, serial: `simulate` computes one cell after another,
//! and each cell's `game_logic` waits 1 ms on I/O. The glider moves as it
//! should, but a generation takes cells × 1 ms — 0.1 s for 100 cells, 0.9 s
//! for 900 — while the CPU only waits. That is when the work needs fan-out (a
//! unit of work per cell) and fan-in (all of them done before the next
//! generation), which items 57–60 build.
//!
//! Run it: `cargo run -p bw56-life --example core`, then
//! `cargo run -p bw56-life --example core -- --break` (a generation is written
//! into the grid it is read from: without that fan-in boundary the glider breaks).

use std::io;
use std::time::{Duration, Instant};

use bw56_life::{CellIo, ColumnPrinter, GLIDER, Grid, State, count_neighbors};

/// The book's `step_cell`: count the neighbours, then apply the rules, whose
/// I/O blocks this thread for the latency.
fn step_cell(y: usize, x: usize, grid: &Grid, io: &CellIo) -> io::Result<State> {
    let state = grid.get(y as isize, x as isize);
    let neighbors = count_neighbors(y, x, |y, x| grid.get(y, x));
    io.game_logic(y, x, state, neighbors)
}

/// The book's `simulate`: the next generation, one cell after another.
fn simulate(grid: &Grid, io: &CellIo, broken: bool) -> io::Result<Grid> {
    // Every cell of `next` is overwritten below; starting from a copy only
    // matters to the mistake, which reads it.
    let mut next = grid.clone();
    for (y, x) in grid.positions() {
        // The mistake: reading the generation being written, so a cell sees
        // some neighbours that are already one generation ahead.
        let current = if broken { &next } else { grid };
        let state = step_cell(y, x, current, io)?;
        next.set(y, x, state);
    }
    Ok(next)
}

/// Generations 0 to 4 of the book's glider.
fn glider_generations(io: &CellIo, broken: bool) -> io::Result<Vec<Grid>> {
    let mut generations = vec![Grid::glider()];
    for _ in 1..5 {
        let last = generations.last().expect("starts with generation 0");
        generations.push(simulate(last, io, broken)?);
    }
    Ok(generations)
}

/// After four generations a glider is itself again, one cell down and right.
fn moved_glider() -> Grid {
    let mut grid = Grid::new(5, 9);
    GLIDER
        .iter()
        .for_each(|&(y, x)| grid.set(y + 1, x + 1, State::Alive));
    grid
}

fn differing_cells(a: &Grid, b: &Grid) -> usize {
    a.cells().zip(b.cells()).filter(|(p, q)| p.2 != q.2).count()
}

// Try: set the latency to zero (`CellIo::none()`): the same results, and every
// generation takes microseconds. The I/O is what makes concurrency necessary.
// Try: add a 40x40 grid: expect about 1.6 s for one generation.
fn main() -> io::Result<()> {
    let broken = std::env::args().any(|a| a == "--break");
    let io = CellIo::new(Duration::from_millis(1));
    let generations = glider_generations(&io, broken)?;
    let mut columns = ColumnPrinter::new();
    for grid in &generations {
        columns.append(grid.to_string());
    }
    println!("{columns}");
    let wrong = differing_cells(&generations[4], &moved_glider());
    if wrong > 0 {
        let alive: Vec<_> = generations.iter().map(Grid::alive).collect();
        println!(
            "broken: the glider broke: live cells {alive:?}, {wrong} cells wrong by generation 4"
        );
        return Ok(());
    }
    let mut times = Vec::new();
    for size in [10, 20, 30] {
        let cells = size * size;
        let start = Instant::now();
        simulate(&Grid::soup(size, size, 1), &io, broken)?;
        let time = start.elapsed();
        // Each cell waited its 1 ms, one after another.
        assert!(time >= io.latency() * cells as u32);
        println!("{size}x{size}: {cells} cells, one generation in {time:.0?}");
        times.push(time);
    }
    println!(
        "ok: the glider moved one cell down and right in 4 generations; one generation \
         took {:.0?}, {:.0?}, {:.0?} for 100, 400, 900 cells: cells x 1 ms",
        times[0], times[1], times[2]
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_glider_moves_one_cell_down_and_right() {
        let generations = glider_generations(&CellIo::none(), false).expect("no I/O to fail");
        assert_eq!(generations[4], moved_glider());
        assert!(generations.iter().all(|grid| grid.alive() == 5));
    }

    #[test]
    fn reading_the_grid_being_written_breaks_the_glider() {
        let generations = glider_generations(&CellIo::none(), true).expect("no I/O to fail");
        // It freezes into a 2x2 block, which never moves again.
        let alive: Vec<_> = generations.iter().map(Grid::alive).collect();
        assert_eq!(alive, [5, 3, 4, 4, 4]);
        assert_eq!(differing_cells(&generations[4], &moved_glider()), 7);
    }
}
