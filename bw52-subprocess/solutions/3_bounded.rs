//! A queue of running children, at most `limit` long: before each start, wait
//! for the oldest if the queue is full; and each child in a `ChildGuard`, so
//! that an early `?` kills and reaps the ones still running.

use std::collections::VecDeque;
use std::io;
use std::num::NonZeroUsize;
use std::process::{Command, ExitStatus};

use bw52_subprocess::ChildGuard;

/// Runs every command, at most `limit` children at a time; statuses in order.
pub fn run_bounded(commands: Vec<Command>, limit: NonZeroUsize) -> io::Result<Vec<ExitStatus>> {
    let mut statuses = vec![None; commands.len()];
    let mut running: VecDeque<(usize, ChildGuard)> = VecDeque::with_capacity(limit.get());
    for (index, mut command) in commands.into_iter().enumerate() {
        // Make room first: the new child must never be the (limit + 1)th.
        if running.len() == limit.get() {
            let (oldest, mut child) = running.pop_front().expect("the queue is full");
            statuses[oldest] = Some(child.wait()?);
        }
        let child = ChildGuard::spawn(&mut command).map_err(io::Error::other)?;
        running.push_back((index, child));
    }
    for (index, mut child) in running {
        statuses[index] = Some(child.wait()?);
    }
    Ok(statuses
        .into_iter()
        .map(|status| status.expect("every child was waited for"))
        .collect())
}
