//! One generation as one future per cell: fan out, fan in, and cancel the
//! rest at the first failure — written once, for any [`Runtime`].
//!
//! The book's `simulate` creates a coroutine per cell and hands them all to
//! `asyncio.gather`, which wraps each one in a task and waits for all. Rust
//! offers two ways to wait for many futures, and for a million cells the
//! difference is worth knowing ([`Fanout`]):
//!
//! - **spawn** each cell as a task of the runtime and await the handles
//!   (what `gather` does): the runtime's threads poll cells in parallel, and
//!   each cell pays for a task (an allocation with a header, a join handle,
//!   a slot in the scheduler's queues);
//! - **join** the futures inside the one task that runs `simulate`, with
//!   [`FuturesUnordered`]: no task per cell, but one thread polls them all.
//!
//! Either way the fan-in is the same loop: take results in the order the
//! cells *finish*, store each in the next grid, and stop at the first error.
//! Stopping is where Rust differs most from `gather`. In Python, when one
//! awaitable raises, `gather` propagates the exception and **leaves the other
//! tasks running**. Here the other cells are cancelled, and `simulate` waits
//! until each one's future has been dropped before it returns, so no cell's
//! I/O outlives the generation that started it. (A cell that is dropped
//! mid-wait simply never resumes: in Rust, cancelling a future *is* dropping
//! it.)

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use bw56_life::{CellIo, Grid, SimulationError, State};
use futures::stream::{FuturesUnordered, StreamExt};
use futures::{FutureExt, future};

use crate::runtime::Runtime;
use crate::{async_logic, async_neighbors};

/// How a generation starts its cell futures and waits for them.
///
/// The default is [`Fanout::Join`]: measured on a million cells that only
/// wait, it takes about 30 % less time and two thirds of the memory of a
/// task per cell (see the crate's README). Spawning pays off
/// when cells *compute*, because only tasks are spread over the runtime's
/// threads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Fanout {
    /// A runtime task per cell, as `asyncio.gather` does: cells are polled
    /// by every thread of the runtime.
    Spawn,
    /// No tasks: the cell futures are polled by the task running
    /// [`simulate`] itself, through a [`FuturesUnordered`].
    #[default]
    Join,
}

impl Fanout {
    /// Both, in the order the demo compares them.
    pub const ALL: [Fanout; 2] = [Fanout::Spawn, Fanout::Join];

    /// `spawn` or `join`.
    pub fn name(self) -> &'static str {
        match self {
            Fanout::Spawn => "spawn",
            Fanout::Join => "join",
        }
    }
}

/// Which of the book's two `step_cell`s every cell runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CellStep {
    /// [Step 1](crate::async_logic): only `game_logic` is awaited;
    /// `count_neighbors` is a plain call (blocking, if it does I/O).
    AsyncLogic,
    /// [Step 2](crate::async_neighbors): `count_neighbors` is awaited too.
    #[default]
    AsyncNeighbors,
}

/// What one generation shares with all its cells: the current grid (read by
/// every cell's `get`) and the I/O settings. One `Arc` per generation, one
/// pointer per cell, instead of a copy of either per cell.
struct Generation {
    grid: Grid,
    io: CellIo,
}

/// The book's `async def simulate(grid)`: the next generation, every cell a
/// future, all of them waiting at the same time.
///
/// Fails with the first cell to fail (in the order cells *finish*), as a
/// [`SimulationError`] naming it; a cell that panics is reported the same
/// way. By the time the error is returned, every other cell of the
/// generation has been cancelled and dropped.
///
/// One limit of the spawning fan-out, shown rather than hidden: if this
/// future were itself dropped before it finished (a timeout around it, say),
/// smol's tasks would be cancelled with their handles, but tokio's and
/// async-std's would run on, detached. tokio's
/// [`JoinSet`](tokio::task::JoinSet) aborts its tasks on drop for exactly
/// that reason; the joining fan-out has no such gap, because its cells live
/// inside this future.
pub async fn simulate<R: Runtime>(
    runtime: &R,
    grid: &Grid,
    io: &CellIo,
    fanout: Fanout,
    step: CellStep,
) -> Result<Grid, SimulationError> {
    let generation = Arc::new(Generation {
        grid: grid.clone(),
        io: io.clone(),
    });
    let timer = runtime.timer();
    let cells = (0..grid.len()).map(|index| cell(Arc::clone(&generation), timer, step, index));
    let mut next = vec![State::Empty; grid.len()];
    match fanout {
        Fanout::Spawn => {
            // Fan out: every cell becomes a task and starts running at once,
            // on whichever of the runtime's threads is free.
            let mut tasks: FuturesUnordered<R::Task<CellResult>> =
                cells.map(|cell| runtime.spawn(cell)).collect();
            // Fan in, in the order the tasks finish.
            while let Some((index, result)) = tasks.next().await {
                match result {
                    Ok(state) => next[index] = state,
                    Err(error) => {
                        // Dropping a tokio or async-std handle would leave
                        // its task running, so every remaining task is
                        // cancelled explicitly, all at once, and awaited.
                        future::join_all(tasks.into_iter().map(R::cancel)).await;
                        return Err(error);
                    }
                }
            }
        }
        Fanout::Join => {
            // Fan out without tasks: the set owns the futures and polls the
            // ones whose timer has fired (it keeps a queue of woken cells, so
            // a wake-up costs O(1), not a scan of a million futures).
            let mut pending: FuturesUnordered<_> = cells.collect();
            while let Some((index, result)) = pending.next().await {
                // `?` returns early and drops `pending`, and with it every
                // cell future still waiting: cancellation is synchronous.
                next[index] = result?;
            }
        }
    }
    Ok(Grid::from_states(grid.height(), grid.width(), next))
}

/// What a cell future yields: its index in the grid and its new state.
type CellResult = (usize, Result<State, SimulationError>);

/// The future of the cell at `index`: the chosen `step_cell`, with a panic
/// turned into a [`SimulationError`] naming the cell.
///
/// It owns everything it uses (`Arc`, a copied timer, the coordinates), so it
/// is `'static` and `Send` — what [`Runtime::spawn`] requires for a task that
/// may outlive this function's stack frame and move between threads.
fn cell<T: bw56_life::Timer + Copy + Send + Sync + 'static>(
    generation: Arc<Generation>,
    timer: T,
    step: CellStep,
    index: usize,
) -> impl Future<Output = CellResult> + Send + 'static {
    let width = generation.grid.width();
    let (y, x) = (index / width, index % width);
    let work = async move {
        let get = |y, x| generation.grid.get(y, x);
        match step {
            CellStep::AsyncLogic => async_logic::step_cell(&timer, &generation.io, y, x, get).await,
            CellStep::AsyncNeighbors => {
                async_neighbors::step_cell(&timer, &generation.io, y, x, get).await
            }
        }
    };
    // A panic while polling the cell unwinds out of `poll`; `catch_unwind`
    // stops it there and keeps the payload. Unwind safety is asserted because
    // a panicking cell's future is never polled again: nothing can observe
    // state it left half-updated.
    AssertUnwindSafe(work).catch_unwind().map(move |outcome| {
        let result =
            outcome.unwrap_or_else(|payload| Err(SimulationError::panicked(y, x, payload)));
        (index, result)
    })
}

/// The size in bytes of one cell's future on runtime `R`: the state machine
/// the compiler generates for `step_cell` (its locals across `.await`s, the
/// timer's sleep future, the shared `Arc`, the coordinates). This, not a
/// stack, is what a waiting cell costs; spawning it adds the runtime's task
/// around it.
pub fn cell_future_bytes<R: Runtime>(runtime: &R, step: CellStep) -> usize {
    let generation = Arc::new(Generation {
        grid: Grid::new(1, 1),
        io: CellIo::none(),
    });
    // The future is built, measured and dropped without ever being polled.
    let future = cell(generation, runtime.timer(), step, 0);
    std::mem::size_of_val(&future)
}
