//! Mistake: start the child first, then wait for the oldest once more than
//! `limit` are running. The count is right again a moment later, but in that
//! moment `limit + 1` children are alive: the bound is off by one.

use std::collections::VecDeque;
use std::io;
use std::num::NonZeroUsize;
use std::process::{Child, Command, ExitStatus};

pub fn run_bounded(commands: Vec<Command>, limit: NonZeroUsize) -> io::Result<Vec<ExitStatus>> {
    let mut statuses = vec![None; commands.len()];
    let mut running: VecDeque<(usize, Child)> = VecDeque::new();
    for (index, mut command) in commands.into_iter().enumerate() {
        running.push_back((index, command.spawn()?));
        if running.len() > limit.get() {
            let (oldest, mut child) = running.pop_front().expect("more than limit");
            statuses[oldest] = Some(child.wait()?);
        }
    }
    for (index, mut child) in running {
        statuses[index] = Some(child.wait()?);
    }
    Ok(statuses
        .into_iter()
        .map(|s| s.expect("all waited"))
        .collect())
}
