//! The merged output as the async steps own it.
//!
//! In step 1 the output is a `std` file behind a `std::sync::Mutex`. Once the
//! runtime owns the output (steps 2 and 3), writing it is async too: a
//! [`tokio::fs::File`] behind a [`tokio::sync::Mutex`].
//!
//! Why tokio's mutex here when mini-redis's advice is "prefer std's"? Because
//! the lock *is* held across an `.await`: `write_all` on a tokio file may
//! suspend while the bytes are handed to the blocking pool, and the line must
//! be written whole before another task may write. A `std` guard cannot be
//! held across an `.await` in a task that must be `Send`.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::io::{AsyncWriteExt, BufWriter};
use tokio::sync::Mutex;

use crate::workload::with_path;

/// The merged output file, shared by every tailer; cloning shares it.
#[derive(Debug, Clone)]
pub struct AsyncOutput {
    /// The buffered file; one whole line is written per lock.
    file: Arc<Mutex<BufWriter<tokio::fs::File>>>,
    /// For error messages.
    path: Arc<PathBuf>,
}

impl AsyncOutput {
    /// Creates (or truncates) the output file.
    pub async fn create(path: &Path) -> io::Result<Self> {
        let file = tokio::fs::File::create(path)
            .await
            .map_err(|e| with_path(e, "cannot create output", path))?;
        Ok(Self {
            file: Arc::new(Mutex::new(BufWriter::new(file))),
            path: Arc::new(path.to_owned()),
        })
    }

    /// Appends one line: the book's `write_async`.
    pub async fn write_line(&self, line: &[u8]) -> io::Result<()> {
        self.file
            .lock()
            .await
            .write_all(line)
            .await
            .map_err(|e| with_path(e, "cannot write output", &self.path))
    }

    /// Flushes everything written so far down to the operating system.
    ///
    /// A tokio file finishes its writes on the blocking pool; only an awaited
    /// `flush` guarantees they are done (dropping the file does not wait).
    pub async fn finish(&self) -> io::Result<()> {
        self.file
            .lock()
            .await
            .flush()
            .await
            .map_err(|e| with_path(e, "cannot write output", &self.path))
    }
}
