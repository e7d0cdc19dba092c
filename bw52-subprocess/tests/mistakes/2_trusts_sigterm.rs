//! Mistake: SIGTERM, then a plain `wait`. SIGTERM is a request: a child may
//! catch or ignore it, and then `wait`, which has no timeout, blocks for as
//! long as that child likes — here, for good.

use std::io;
use std::process::Child;
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

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
    kill(Pid::from_raw(child.id() as i32), Signal::SIGTERM)?;
    child.wait()?;
    Ok(Ending::Terminated)
}
