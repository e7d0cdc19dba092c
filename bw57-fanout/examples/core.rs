//! Item 57 in one page: a new thread per item fans out, at a price.
//!
//! Item 56's Life waits 1 ms of I/O per cell, one cell after another. Here
//! every cell of every generation gets a thread of its own (fan-out), and the
//! generation waits for all of them (fan-in): the waits overlap, so four
//! generations of the glider take a few milliseconds instead of 180. The price
//! is a thread per cell — the input decides how many exist — and failures that
//! happen inside those threads, which reach the caller only if the fan-in
//! collects them.
//!
//! Run it: `cargo run -p bw57-fanout --example core`, then
//! `cargo run -p bw57-fanout --example core -- --break` (a cell's I/O fails in
//! its thread and the fan-in drops the error: the generation comes back `Ok`,
//! and wrong).

use std::thread;
use std::time::{Duration, Instant};

use bw56_life::{CellIo, Fault, Grid, SimulationError, next_state};

/// One generation, a scoped thread per cell.
fn simulate(grid: &Grid, io: &CellIo, broken: bool) -> Result<Grid, SimulationError> {
    thread::scope(|s| {
        // Fan out: every thread borrows `grid` and `io`; the scope joins them
        // all before it returns, even on an early `?`, so none outlives them.
        let mut cells = Vec::new();
        for (y, x) in grid.positions() {
            let cell = s.spawn(move || next_state(io, y, x, |y, x| grid.get(y, x)));
            cells.push((y, x, cell));
        }
        // Fan in: each cell comes back through `join`, and so does its
        // failure, whether an I/O error or a panic.
        let mut next = Grid::new(grid.height(), grid.width());
        for (y, x, cell) in cells {
            let result = cell
                .join()
                .unwrap_or_else(|p| Err(SimulationError::panicked(y, x, p)));
            let state = if broken {
                // The mistake: a failed cell is quietly taken as empty.
                result.unwrap_or_default()
            } else {
                result?
            };
            next.set(y, x, state);
        }
        Ok(next)
    })
}

/// The cells where two grids differ.
fn wrong_cells(a: &Grid, b: &Grid) -> Vec<(usize, usize)> {
    let differ = a.cells().zip(b.cells()).filter(|(p, q)| p.2 != q.2);
    differ.map(|(p, _)| (p.0, p.1)).collect()
}

// Try: start from `Grid::soup(100, 100, 1)`: 10,000 threads per generation,
// and the thread starts, not the I/O, now take most of the time.
// Try: replace `result?` by `result.expect("cell failed")`: the failure now
// panics the program instead of coming back as an error.
fn main() -> Result<(), SimulationError> {
    let broken = std::env::args().any(|a| a == "--break");
    let io = CellIo::new(Duration::from_millis(1));
    let first = Grid::glider();
    let (mut grid, start) = (first.clone(), Instant::now());
    for _ in 0..4 {
        grid = simulate(&grid, &io, broken)?;
    }
    let (elapsed, cells) = (start.elapsed(), first.len());
    let serial = bw56_life::run(&mut bw56_life::Serial, &first, 4, &CellIo::none())?;
    assert_eq!(grid, serial, "a thread per cell must agree with serial");
    let waited = io.latency() * 4 * cells as u32;
    println!("4 generations of {cells} cells, a thread each: {elapsed:.0?} for {waited:?} of I/O");

    // Now the I/O of cell (2, 3) fails.
    let failing = io.with_fault(Fault::error_at(2, 3));
    match simulate(&first, &failing, broken) {
        Err(e) => println!(
            "ok: the waits overlapped (4 generations in {elapsed:.0?}, same grid as serial), \
             and the failure came back through join: {e}"
        ),
        Ok(next) => println!(
            "broken: cell (2, 3) failed in its thread, yet the generation came back Ok, \
             wrong at {:?}",
            wrong_cells(&next, &bw56_life::simulate(&first, &CellIo::none())?)
        ),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_per_cell_matches_serial() {
        let (soup, io) = (Grid::soup(8, 8, 7), CellIo::none());
        let serial = bw56_life::simulate(&soup, &io).expect("no fault injected");
        assert_eq!(
            simulate(&soup, &io, false).expect("no fault injected"),
            serial
        );
    }

    #[test]
    fn a_failing_cell_is_reported_or_silently_wrong() {
        let io = CellIo::none().with_fault(Fault::error_at(2, 3));
        let error = simulate(&Grid::glider(), &io, false).expect_err("cell (2, 3) fails");
        assert_eq!((error.y, error.x), (2, 3));

        let next = simulate(&Grid::glider(), &io, true).expect("the mistake hides the error");
        let right = bw56_life::simulate(&Grid::glider(), &CellIo::none()).expect("no fault");
        assert_eq!(wrong_cells(&next, &right), [(2, 3)]);
    }
}
