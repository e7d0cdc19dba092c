//! Mistake: one iterator chain that spawns and waits. Iterators are lazy, so
//! each child is spawned, waited for, and only then is the next one spawned:
//! the children run one after another, never together.

use std::io;
use std::process::{Command, ExitStatus};

pub fn run_all(commands: Vec<Command>) -> io::Result<Vec<ExitStatus>> {
    commands
        .into_iter()
        .map(|mut command| command.spawn())
        .map(|child| child?.wait())
        .collect()
}
