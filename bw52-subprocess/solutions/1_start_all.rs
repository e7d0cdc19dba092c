//! Every `spawn` first, into a `Vec`, then every `wait`: the children run
//! together while the parent waits for them one by one, and a child that ends
//! early just waits, reaped later, until the parent gets to it.

use std::io;
use std::process::{Child, Command, ExitStatus};

/// Starts every command, then waits for every child; statuses in order.
pub fn run_all(commands: Vec<Command>) -> io::Result<Vec<ExitStatus>> {
    let mut children = Vec::with_capacity(commands.len());
    for mut command in commands {
        match command.spawn() {
            Ok(child) => children.push(child),
            Err(error) => {
                // A dropped `Child` is neither killed nor reaped: stop and
                // collect the ones already started before giving up.
                for mut child in children {
                    let _ = child.kill();
                    let _ = child.wait();
                }
                return Err(error);
            }
        }
    }
    children.iter_mut().map(Child::wait).collect()
}
