//! # Item 56: recognize when concurrency is necessary
//!
//! Start here: `examples/core.rs`, the item in one page. Run it with
//! `cargo run -p bw56-life --example core`, break it with `-- --break`, and
//! read it; then run the demo (`cargo run -p bw56-life`), then read `src/` and
//! `tests/`.
//!
//! *Effective Python*, 2nd ed., item 56 (언제 동시성이 필요한지 인식하는 방법을
//! 알아두라). This crate is also the **workload** of items 56–60 and 64: Conway's
//! Game of Life, whose every cell does some I/O — and so a program that is fast
//! when it only computes becomes slow as soon as it waits.
//!
//! ## What you'll see
//!
//! `cargo run -p bw56-life` prints the book's glider for five generations side
//! by side, then times one serial generation on grids of a few sizes with 1 ms
//! of I/O per cell. The measured time follows `cells × latency` almost exactly:
//! a 10×10 grid takes about 0.1 s, a 30×30 grid about 0.9 s, and a 100×100 grid
//! would take 10 s per generation. Nothing is computing during that time; the
//! program is only waiting, one cell after another. That is the moment the book
//! means: the work *could* overlap, and the code has no way to let it — it needs
//! **fan-out** (start a unit of work per cell) and **fan-in** (wait for all of
//! them before the next generation). Items 57–60 try threads, queues, a pool and
//! coroutines for exactly that.
//!
//! ## The pieces
//!
//! - [`Grid`]: the cells, wrapping at the edges (a torus); [`Grid::glider`],
//!   the seeded [`Grid::soup`], and the [`Grid::fingerprint`] (FNV-1a) every
//!   lesson prints in its `final:` line.
//! - [`count_neighbors`] and [`game_logic`]: the rules, pure.
//! - [`CellIo`]: the I/O of a cell — a latency (blocking or async through a
//!   [`Timer`]), optional I/O in `count_neighbors` too, an injected [`Fault`],
//!   and an optional concurrency gauge. A failure becomes a
//!   [`SimulationError`] that names the cell.
//! - [`step_cell`], [`simulate`]: the serial generation, as in the book.
//! - [`Strategy`]: the one signature every lesson's strategy implements, with
//!   [`Serial`] as the baseline; [`measure`](measure::measure) times any of them.
//! - [`cli`]: the command line shared by every Life binary and its `final:` line.
//! - [`ColumnPrinter`]: generations side by side.
//!
//! ## Run it
//!
//! ```text
//! cargo run -p bw56-life
//! cargo run -p bw56-life -- --height 37 --width 23 --generations 7 --seed 99
//! cargo bench -p bw56-life
//! ```
//!
//! ## How Rust differs from the Python original
//!
//! - The book's `get` and `set` callbacks stay: [`step_cell`] takes closures,
//!   so later lessons can pass a locked grid without changing it. But the grid
//!   type decides what is shareable: [`Grid`] is plain data, `Send` and `Sync`,
//!   so threads may read it at once; writing to it from several threads will
//!   not compile without a lock (item 57).
//! - Errors are values: the book raises `SimulationError(y, x)`; here every
//!   strategy returns `Result<Grid, SimulationError>`, and the compiler makes the
//!   caller deal with it.
//! - The "I/O" is a real blocking call ([`std::thread::sleep`], a kernel wait)
//!   for threads and a real timer for async runtimes, not a busy loop, so the
//!   later lessons measure real overlap. On Linux each sleeping thread's
//!   timer slack is lowered so a sleep lasts what it asks ([`platform`]).
//!
//! See also: [`std::thread::sleep`], [`std::time::Instant`].

pub mod cli;
mod grid;
pub mod io;
pub mod measure;
pub mod platform;
mod printer;
mod rules;
mod simulate;

pub use grid::{GLIDER, Grid, State};
pub use io::{CellError, CellIo, Fault, FaultKind, Phase, SimulationError, Timer};
pub use printer::ColumnPrinter;
pub use rules::{count_neighbors, game_logic};
pub use simulate::{Serial, Strategy, next_state, run, simulate, step_cell};
