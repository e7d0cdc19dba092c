//! Step 1 of the book: `game_logic` waits on I/O, so it becomes a coroutine,
//! and so does everything that calls it.
//!
//! In the threaded lessons `game_logic` blocked its thread for the duration
//! of the I/O. Here it is [`CellIo::game_logic_async`], an `async fn`: calling
//! it returns a future, and `.await`ing that future *suspends* the caller
//! until the runtime's timer fires, leaving the thread free to poll other
//! cells in the meantime. That is the whole trick of the chapter's last item:
//! a suspended future is a small struct in memory, not a thread.
//!
//! The price is that `.await` may only appear inside an `async fn` (or
//! block). So `step_cell`, which awaits `game_logic`, becomes `async`; the
//! generation that awaits every `step_cell` becomes `async`
//! ([`simulate`](crate::simulate())); and the synchronous world reaches it
//! through the runtime's entry point, [`Runtime::block_on`]
//! (the book's `asyncio.run`):
//!
//! ```text
//! game_logic (async)  <-  step_cell (async)  <-  simulate (async)  <-  block_on (sync)
//! ```
//!
//! `count_neighbors` stays a plain function in this step, exactly as in the
//! book, because it does no I/O. If it did (see [`CellIo::with_neighbor_io`])
//! its blocking wait would stall the thread *and every cell queued behind it*
//! — the demo measures that — which is why [step 2](crate::async_neighbors)
//! makes it async as well.
//!
//! [`Runtime::block_on`]: crate::Runtime::block_on

use bw56_life::{CellIo, SimulationError, State, Timer};

/// The book's `async def step_cell`: the next state of cell `(y, x)`.
///
/// The book's version also takes a `set` callback and writes into the next
/// grid; here the new state is the future's output and [`simulate`] stores
/// it. A future that only *returns* its result borrows nothing mutably, so
/// it may run on any thread of a multi-threaded runtime.
///
/// [`simulate`]: crate::simulate()
pub async fn step_cell(
    timer: &impl Timer,
    io: &CellIo,
    y: usize,
    x: usize,
    get: impl Fn(isize, isize) -> State,
) -> Result<State, SimulationError> {
    let state = get(y as isize, x as isize);
    // A plain, synchronous call. With neighbour I/O switched on it blocks
    // the runtime's thread for the whole latency: nothing else runs there.
    let neighbors = io
        .count_neighbors(y, x, &get)
        .map_err(|e| SimulationError::io(y, x, e))?;
    // The only suspension point: while this cell waits, others are polled.
    io.game_logic_async(timer, y, x, state, neighbors)
        .await
        .map_err(|e| SimulationError::io(y, x, e))
}
