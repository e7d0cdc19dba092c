//! The async simulation as a [`Strategy`], so the same code that times the
//! serial loop, the thread per cell, the pipeline and the pool times it too.

use std::io;

use bw56_life::{CellIo, Grid, SimulationError, Strategy};

use crate::runtime::{AsyncStd, Runtime, Smol, Tokio};
use crate::simulate::{CellStep, Fanout, simulate};

/// The names `--strategy` accepts for the async strategies, one per runtime.
pub const ASYNC_STRATEGIES: [&str; 4] = ["tokio", "tokio-current-thread", "smol", "async-std"];

/// [`simulate`] on runtime `R`: each `step` is one `block_on` of one
/// generation. The runtime is created once and kept for every generation;
/// dropping the strategy shuts it down (except async-std's, which is global).
#[derive(Debug)]
pub struct AsyncStrategy<R: Runtime> {
    runtime: R,
    fanout: Fanout,
    step: CellStep,
}

impl<R: Runtime> AsyncStrategy<R> {
    /// Joined cells ([`Fanout::Join`]) running [step 2](crate::async_neighbors)'s
    /// `step_cell`.
    pub fn new(runtime: R) -> Self {
        Self {
            runtime,
            fanout: Fanout::default(),
            step: CellStep::default(),
        }
    }

    /// Starts and awaits the cells as `fanout` says.
    pub fn with_fanout(mut self, fanout: Fanout) -> Self {
        self.fanout = fanout;
        self
    }

    /// Runs `step`'s version of `step_cell` in every cell.
    pub fn with_step(mut self, step: CellStep) -> Self {
        self.step = step;
        self
    }

    /// The runtime the generations run on.
    pub fn runtime(&self) -> &R {
        &self.runtime
    }
}

impl<R: Runtime> Strategy for AsyncStrategy<R> {
    /// The runtime's name (`tokio`, `smol`...), with `+spawn` or `+step1`
    /// appended when the strategy differs from the default.
    fn name(&self) -> String {
        let mut name = self.runtime.name().to_owned();
        if self.fanout != Fanout::default() {
            name.push('+');
            name.push_str(self.fanout.name());
        }
        if self.step == CellStep::AsyncLogic {
            name.push_str("+step1");
        }
        name
    }

    fn step(&mut self, grid: &Grid, io: &CellIo) -> Result<Grid, SimulationError> {
        // The runtime's entry point: the synchronous `Strategy::step` waits
        // here for the asynchronous generation, as `asyncio.run` does.
        self.runtime
            .block_on(simulate(&self.runtime, grid, io, self.fanout, self.step))
    }
}

/// The async strategy called `name` (one of [`ASYNC_STRATEGIES`]), fanning
/// out as `fanout` says and running `step`'s `step_cell` in every cell.
///
/// Fails if the runtime cannot start (a thread refused), or with
/// [`io::ErrorKind::InvalidInput`] for an unknown name.
pub fn async_strategy(name: &str, fanout: Fanout, step: CellStep) -> io::Result<Box<dyn Strategy>> {
    fn boxed<R: Runtime + 'static>(
        runtime: R,
        fanout: Fanout,
        step: CellStep,
    ) -> Box<dyn Strategy> {
        Box::new(
            AsyncStrategy::new(runtime)
                .with_fanout(fanout)
                .with_step(step),
        )
    }
    Ok(match name {
        "tokio" => boxed(Tokio::multi_thread()?, fanout, step),
        "tokio-current-thread" => boxed(Tokio::current_thread()?, fanout, step),
        "smol" => boxed(Smol::new()?, fanout, step),
        "async-std" => boxed(AsyncStd, fanout, step),
        other => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "unknown async strategy {other:?}; expected one of {}",
                    ASYNC_STRATEGIES.join(", ")
                ),
            ));
        }
    })
}
