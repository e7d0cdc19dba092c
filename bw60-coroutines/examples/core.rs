//! Item 60: for highly concurrent I/O, use coroutines — in Rust, futures.
//!
//! This program runs the book's glider with every cell a future: each cell's
//! `game_logic` awaits 10 ms of I/O, and a generation joins all 45 futures on
//! one thread, as `asyncio.gather` does. A waiting future is a small struct,
//! not a thread, so all 45 cells wait at once and a generation costs one
//! latency. First, one cell is polled through `Traced`, a hand-written future
//! that prints each `poll`, to show what `.await` does underneath.
//!
//! Run it: `cargo run -p bw60-coroutines --example core`.
//! Break it: `cargo run -p bw60-coroutines --example core -- --break` makes
//! the I/O a blocking `std::thread::sleep` inside the `async fn`: it never
//! yields, so the cells run one after another on the runtime's only thread.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bw56_life::{self as life, CellIo, Grid, State};
use futures::future::join_all;
use tokio::runtime::Builder;

const LATENCY: Duration = Duration::from_millis(10);
const GENERATIONS: usize = 4;

/// Stands for the book's socket: every read takes `LATENCY`. It counts the
/// reads in progress; a `Cell` is enough because every future here runs on
/// the runtime's one thread.
#[derive(Default)]
struct Socket {
    blocking: bool,
    reading: Cell<usize>,
    peak: Cell<usize>,
}

impl Socket {
    async fn read(&self) {
        self.reading.set(self.reading.get() + 1);
        self.peak.set(self.peak.get().max(self.reading.get()));
        if self.blocking {
            std::thread::sleep(LATENCY); // The mistake: blocks the only thread.
        } else {
            // Try: delete `.await` — the compiler warns that the future is
            // unused; nothing waits, so the run is instant but reports peak 1.
            tokio::time::sleep(LATENCY).await;
        }
        self.reading.set(self.reading.get() - 1);
    }
}

/// The book's `async def game_logic`: wait for the I/O, then apply the rule.
async fn game_logic(socket: &Socket, state: State, neighbors: u8) -> State {
    socket.read().await;
    life::game_logic(state, neighbors)
}

/// The book's `async def step_cell`; async because it awaits `game_logic`.
async fn step_cell(socket: &Socket, grid: &Grid, y: usize, x: usize) -> State {
    let neighbors = life::count_neighbors(y, x, |y, x| grid.get(y, x));
    game_logic(socket, grid.get(y as isize, x as isize), neighbors).await
}

/// The book's `async def simulate`: a future per cell, all joined.
async fn simulate(socket: &Socket, grid: &Grid) -> Grid {
    let cells = grid.positions().map(|(y, x)| step_cell(socket, grid, y, x));
    Grid::from_states(grid.height(), grid.width(), join_all(cells).await)
}

/// A future that forwards to another and prints each time it is polled.
struct Traced<F>(F, u32);

impl<F: Future<Output: std::fmt::Debug> + Unpin> Future for Traced<F> {
    type Output = F::Output;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.1 += 1;
        // `Pending` means "not yet": the timer inside has kept `cx.waker()`,
        // and calls `wake()` when it is due, so the runtime polls us again.
        let poll = Pin::new(&mut self.0).poll(cx);
        println!("  poll #{}: {poll:?}", self.1);
        poll
    }
}

/// Runs the glider; returns the peak of cells waiting at once and the verdict.
fn run(broken: bool) -> (usize, String) {
    // One thread, like asyncio's event loop.
    let runtime = Builder::new_current_thread().enable_time().build();
    let runtime = runtime.expect("a runtime starts");
    let socket = Socket {
        blocking: broken,
        ..Socket::default()
    };
    let (mut grid, mut expected) = (Grid::glider(), Grid::glider());
    println!("cell (0, 3), traced:");
    runtime.block_on(Traced(Box::pin(step_cell(&socket, &grid, 0, 3)), 0));
    let started = Instant::now();
    for generation in 1..=GENERATIONS {
        grid = runtime.block_on(simulate(&socket, &grid));
        expected = life::simulate(&expected, &CellIo::none()).expect("no I/O, no failure");
        assert_eq!(grid, expected, "generation {generation} differs");
        println!("generation {generation} done at {:.1?}", started.elapsed());
    }
    let (elapsed, peak, cells) = (started.elapsed(), socket.peak.get(), grid.len());
    // Try: `Grid::soup(1000, 1000, 1)` — a million futures wait at once.
    let line = if peak == cells {
        format!("ok: {GENERATIONS} generations equal serial; all {peak} cells waited at once")
    } else {
        format!("broken: the cells ran one at a time (peak {peak} of {cells})")
    };
    let awaiting = LATENCY * GENERATIONS as u32;
    let line = format!("{line}; {elapsed:.1?} where awaiting needs {awaiting:.1?}");
    (peak, line)
}

fn main() {
    let (_, line) = run(std::env::args().any(|a| a == "--break"));
    println!("{line}");
}

#[cfg(test)]
mod tests {
    use super::run;

    #[test]
    fn every_cell_waits_at_once() {
        let (peak, line) = run(false);
        assert_eq!((peak, line.starts_with("ok: ")), (45, true), "{line}");
    }

    #[test]
    fn a_blocking_sleep_serialises_the_cells() {
        let (peak, line) = run(true);
        assert_eq!((peak, line.starts_with("broken: ")), (1, true), "{line}");
    }
}
