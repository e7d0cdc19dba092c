//! The long-lived worker threads of a pipeline: started once, counted while
//! they live, joined once.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::{self, JoinHandle};

/// A live count of a pipeline's worker threads.
///
/// The count goes up *before* a worker is spawned and down when the worker's
/// thread finishes (or when its start is refused), through a guard the thread
/// owns. So right after a pipeline is built it equals the number of workers,
/// and after the pipeline is dropped it is zero — no waiting, no guessing:
/// `Drop` joins every worker, and a joined thread has finished.
#[derive(Clone, Debug, Default)]
pub struct LiveWorkers(Arc<AtomicUsize>);

impl LiveWorkers {
    /// Worker threads started and not yet finished.
    pub fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Owned by a worker thread; dropping it (when the thread's closure returns,
/// unwinds, or is dropped unstarted) counts the worker as gone.
struct Alive(LiveWorkers);

impl Drop for Alive {
    fn drop(&mut self) {
        (self.0).0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The worker threads of one pipeline.
#[derive(Debug, Default)]
pub(crate) struct Workers {
    /// Joined, in order, by [`Workers::join`].
    handles: Vec<JoinHandle<()>>,
    live: LiveWorkers,
}

impl Workers {
    /// Starts a worker running `body` in a thread named `name`.
    ///
    /// Uses [`thread::Builder::spawn`] so that a refused thread is an error
    /// for the caller (item 57), not a panic.
    pub(crate) fn spawn(
        &mut self,
        name: String,
        body: impl FnOnce() + Send + 'static,
    ) -> io::Result<()> {
        (self.live).0.fetch_add(1, Ordering::SeqCst);
        let alive = Alive(self.live.clone());
        let handle = thread::Builder::new().name(name).spawn(move || {
            let _alive = alive;
            body();
        })?;
        self.handles.push(handle);
        Ok(())
    }

    /// The live count, to observe from outside.
    pub(crate) fn live(&self) -> LiveWorkers {
        self.live.clone()
    }

    /// How many workers were started.
    pub(crate) fn len(&self) -> usize {
        self.handles.len()
    }

    /// Waits for every worker to finish. Call it only after closing the
    /// channels the workers read from, or it waits forever.
    pub(crate) fn join(&mut self) {
        for handle in self.handles.drain(..) {
            // Workers catch the panics of the cells they compute and send
            // them back as values, so a worker itself does not panic; if one
            // did anyway, its payload has nowhere to go from a destructor and
            // std has already printed it.
            let _ = handle.join();
        }
    }
}
