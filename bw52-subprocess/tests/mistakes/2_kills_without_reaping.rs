//! Mistake: `Child::kill` and return. The kill only sends SIGKILL; nobody
//! waits for the child afterwards, so it stays in the process table as a
//! zombie, and dropping the `Child` does not reap it either.

use std::io;
use std::process::Child;
use std::thread;
use std::time::{Duration, Instant};

use crate::deadline::Ending;

pub fn wait_with_deadline(
    mut child: Child,
    timeout: Duration,
    _grace: Duration,
) -> io::Result<Ending> {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if let Some(status) = child.try_wait()? {
            return Ok(Ending::Finished(status));
        }
        thread::sleep(Duration::from_millis(5));
    }
    child.kill()?;
    Ok(Ending::Killed)
}
