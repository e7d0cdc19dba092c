//! The book's download → resize → upload pipeline, built on
//! [`Pipeline`]: the "after" that the demo and the benchmark compare with the
//! polling version in [`crate::busy_queue`].

use std::thread;

use crate::pipeline::{Capacity, Pipeline, PipelineError, Shutdown};
use crate::work::{Receipt, Stages};

/// The book's worker counts: 3 downloaders, 4 resizers, 5 uploaders.
pub const BOOK_WORKERS: [usize; 3] = [3, 4, 5];

/// How to build the channel pipeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// Workers of download, resize and upload.
    pub workers: [usize; 3],
    /// Capacity of every channel.
    pub capacity: Capacity,
}

/// What a run of the channel pipeline produced.
#[derive(Clone, Debug)]
pub struct PhotoRun {
    /// The receipts in the order they came out of the upload stage.
    pub receipts: Vec<Receipt>,
    /// How the stages ended: source, download, resize, upload.
    pub shutdown: Shutdown,
}

/// Runs every id of `ids` through download, resize and upload, and collects
/// the receipts on the calling thread.
///
/// Returns an error if a stage panicked (the pipeline is stopped and every
/// thread joined first) or if the configuration is unusable (a stage with no
/// workers, a zero capacity).
pub fn run(
    ids: impl IntoIterator<Item = u64> + Send,
    stages: &Stages,
    config: &Config,
) -> Result<PhotoRun, PipelineError> {
    let [download_workers, resize_workers, upload_workers] = config.workers;
    let mut receipts = Vec::new();
    // The scope borrows `stages` and `receipts` for the threads, and does not
    // return before every thread it started has ended.
    let shutdown = thread::scope(|s| {
        let mut pipeline = Pipeline::new(s, config.capacity)?;
        let ids = pipeline.source(ids)?;
        let images = pipeline.stage("download", download_workers, ids, &stages.download)?;
        let thumbnails = pipeline.stage("resize", resize_workers, images, &stages.resize)?;
        let uploaded = pipeline.stage("upload", upload_workers, thumbnails, &stages.upload)?;
        pipeline.finish(uploaded, |receipt| receipts.push(receipt))
    })?;
    Ok(PhotoRun { receipts, shutdown })
}
