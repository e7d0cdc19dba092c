//! The narrated demo of item 52: child processes captured, polled, fanned
//! out, streamed, chained, timed out and reaped.
//!
//! The lesson is about Unix processes, so the demo itself ([`demo`]) exists
//! only on Unix; elsewhere the binary says so and exits successfully.

#[cfg(unix)]
mod demo;

#[cfg(unix)]
fn main() -> anyhow::Result<()> {
    demo::main()
}

#[cfg(not(unix))]
fn main() {
    println!(
        "bw52-subprocess: this lesson needs a Unix system (Linux or macOS).\n\
         It is about Unix child processes: signals (SIGTERM, SIGKILL, SIGPIPE), zombies and\n\
         reaping, with `sh` and coreutils as the children. Run it on Linux or macOS, or on\n\
         Windows inside WSL; nothing was run here."
    );
}
