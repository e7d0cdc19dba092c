//! # Item 64: consider `concurrent.futures` for true parallelism
//!
//! Start here: `examples/core.rs`, the item in one page. Run it with
//! `cargo run -p bw64-parallel --example core`, break it with `-- --break`, and
//! read it; then run the demo (`cargo run -p bw64-parallel`), then read `src/`
//! and `tests/`.
//!
//! *Effective Python*, 2nd ed., item 64 (진정한 병렬성을 살리려면
//! concurrent.futures를 사용하라). In Python, threads cannot compute in
//! parallel — the GIL lets one run bytecode at a time — so the book reaches for
//! `ProcessPoolExecutor`: child processes, each with its own interpreter, fed
//! by pickling arguments through pipes. Rust has no GIL. Threads run on every
//! core; the question becomes only *how* to split the work.
//!
//! ## What you'll see
//!
//! `cargo run -p bw64-parallel` computes the book's slow `gcd` of ten pairs
//! four ways — serially, with std threads, with a rayon pool, and with a pool
//! of worker processes (copies of this binary fed over pipes) — for 1 and 2
//! threads or processes, checks all results against Euclid's algorithm, and
//! prints the speedup and the efficiency per core. Threads and rayon reach
//! about 1.9× on two cores; the process pool gets there too, minus its
//! start-up. The book's Python on the same machine: serial 0.74 s, threads
//! 0.93 s (slower!), process pool of 2 0.56 s.
//!
//! Then the Game of Life without I/O on a 2048×2048 grid: the serial loop of
//! `bw56-life` against [`RayonLife`] with 1 and 2 threads — the same speedup
//! on a workload of millions of tiny cell updates.
//!
//! ## Run it
//!
//! ```text
//! cargo run -p bw64-parallel
//! cargo run -p bw64-parallel -- --threads 1,2 --generations 3
//! cargo run -p bw64-parallel -- --strategy rayon --height 37 --width 23 --generations 7 --seed 99
//! cargo run -p bw64-parallel -- --threads 2 --height 256 --width 256 --trace gcd.json
//! cargo bench -p bw64-parallel
//! ```
//!
//! Each pair's search is a `gcd pair` span on the thread that computes it
//! (`worker 0`, `worker 1`…), so `--trace FILE` shows the cores working side
//! by side in <https://ui.perfetto.dev>, and the demo draws the ten pairs
//! serially against two threads ([`drawing`]).
//!
//! ## The pieces
//!
//! - [`gcd`]: the book's deliberately slow search; [`gcd_euclid`] checks it.
//! - [`serial`], [`std_threads`], [`rayon_pool`]: the same map three ways.
//! - [`ProcessPool`]: worker processes over pipes, with the start-up and
//!   copying the book's `ProcessPoolExecutor` hides; [`serve_worker`] is the
//!   child's side.
//! - [`Executor`], with [`ThreadPoolExecutor`] and [`ProcessPoolExecutor`]:
//!   one interface for both, so moving from threads to processes is a
//!   one-line change, as with `concurrent.futures`.
//! - [`RayonLife`]: the Life workload's rows spread over rayon, a
//!   `bw56_life::Strategy` like every other lesson's.
//!
//! ## How Rust differs from the Python original
//!
//! - **No GIL**: plain threads compute in parallel. The book's threads were
//!   *slower* than serial (0.93 s vs 0.74 s); here they are close to 2× faster
//!   on two cores.
//! - **Shared memory is safe to share**: rayon's tasks read the same grid and
//!   write disjoint rows of the next one (`par_chunks_mut`); the compiler
//!   checks that no two tasks hold the same row. Python must copy the data
//!   into each process.
//! - **Processes are for isolation, not speed**: the process pool works, but
//!   every pair is formatted, written to a pipe, parsed, and answered the same
//!   way back, and the children take milliseconds to start. In Rust that cost
//!   buys nothing that threads don't already give.
//!
//! See also: [`std::thread::scope`], [`rayon::ThreadPoolBuilder`],
//! [`std::process::Command`].

pub mod drawn;
pub mod executor;
mod gcd;
mod life;
pub mod process_pool;
mod threads;

pub use drawn::drawing;
pub use executor::{Executor, ProcessPoolExecutor, ThreadPoolExecutor};
pub use gcd::{NUMBERS, gcd, gcd_euclid};
pub use life::RayonLife;
pub use process_pool::{PoolError, ProcessPool, serve_worker};
pub use threads::{rayon_pool, serial, std_threads};
