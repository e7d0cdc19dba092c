//! # Item 54: use a lock to prevent data races in threads
//!
//! Start here: `examples/core.rs`, the item in one page. Run it with
//! `cargo run -p bw54-lock --example core`, break it with `-- --break`, and
//! read it; then run the demo (`cargo run -p bw54-lock`), then read `src/` and
//! `tests/`.
//!
//! *Effective Python*, 2nd ed., item 54 (스레드에서 데이터 경합을 피하기 위해
//! Lock을 사용하라). The GIL keeps CPython's own data structures intact, but
//! it does not make *your* operations atomic: `self.count += offset` is a
//! read, an add and a write, and a thread switch between the read and the
//! write loses an update. The book shows it with five sensor threads, each
//! counting 100,000 readings into one counter, and fixes it with a `Lock`.
//!
//! ## What you'll see
//!
//! `cargo run -p bw54-lock` runs the book's scenario — five threads released
//! together by a [`Barrier`](std::sync::Barrier), each calling
//! `counter.increment(1)` 100,000 times — once per kind of counter, and prints
//! the book's line `Counter should be 500000, got N` for each:
//!
//! 1. the plain [`Counter`] cannot be shared at all: the compiler refuses
//!    (the `compile_fail` examples in [`plain`]);
//! 2. [`RacyCounter`], which splits the increment into an atomic `load` and an
//!    atomic `store`, compiles and loses updates — up to three quarters of
//!    them in a run, a different number every time, and none at all when the
//!    threads happen to take turns (the demo says so when that happens);
//! 3. [`LockingCounter`] (the book's fix, a `Mutex`) and [`AtomicCounter`]
//!    (one `fetch_add`) are exact every time, and a table compares their cost
//!    with counting per thread and adding up at the end ([`count_locally`]);
//! 4. a thread that panics while holding the lock *poisons* it, and
//!    [`poison::recover`] shows how to take the data back.
//!
//! ## Run it
//!
//! ```text
//! cargo run -p bw54-lock
//! cargo run -p bw54-lock -- --threads 2 --how-many 1000000
//! cargo run -p bw54-lock -- --trace lock.json   # a lane per counting thread
//! cargo test -p bw54-lock              # includes the loom proofs (tests/claims/loom.rs)
//! cargo bench -p bw54-lock
//! ```
//!
//! ## The key idea
//!
//! A race is not in one line of code but in the *gap* between two: the read
//! and the write of the same value. Close the gap by making the two one
//! indivisible step — hold a lock across both ([`LockingCounter`]), or use a
//! single read-modify-write instruction ([`AtomicCounter`]) — or by not
//! sharing the value at all ([`count_locally`]).
//!
//! ## The steps
//!
//! - [`plain`]: the book's `Counter`, and the compiler errors that keep it
//!   from being shared.
//! - [`racy`]: [`RacyCounter`], the book's bug written in safe Rust.
//! - [`locking`]: [`LockingCounter`], the book's fix.
//! - [`atomic`]: [`AtomicCounter`], the fix without a lock.
//! - [`local`]: [`count_locally`], the fix without sharing.
//! - [`poison`]: what a panic inside the lock does, and recovering from it.
//! - [`workers`]: the scenario every counter runs, [`worker`] and
//!   [`count_with_threads`], over the [`SharedCounter`] trait.
//! - [`sync`]: the [`Atomic`](sync::Atomic) and [`Lock`](sync::Lock) traits
//!   the counters are written against, so that `tests/claims/loom.rs` can check
//!   *these* counters with loom's atomics and mutex.
//!
//! ## How Rust differs from the Python original
//!
//! - **The plain counter does not compile when shared.** Changing it takes
//!   `&mut`, which is exclusive; `Arc` only gives `&`, `Rc` and `RefCell` are
//!   not thread-safe (`Send`/`Sync`), and a `static mut` needs `unsafe`. The
//!   book's bug has to be written on purpose, as [`RacyCounter`]: atomic
//!   operations, so no *data race* in Rust's sense (undefined behaviour), but
//!   the same *race condition* — a result that depends on timing.
//! - **The mutex owns the data.** Python's `LockingCounter` keeps the lock
//!   and the count side by side; Rust's `Mutex<Counter>` lets nobody reach
//!   the count except through `lock()`, and the guard unlocks on drop.
//! - **Panics poison the lock.** Python's `with` releases the lock on an
//!   exception and says nothing; Rust's mutex marks itself poisoned and makes
//!   the next user decide ([`poison`]).
//! - **The race is proved, not hoped for.** Modern CPython often fails to
//!   show the book's race at all: on the course machine, Python 3.11.7 ran the
//!   book's unlocked counter five times and printed
//!   `Counter should be 500000, got 500000` every time, because the
//!   interpreter now switches threads only at a few points in the bytecode,
//!   and rarely between the read and the write of `+=`. The bug is still
//!   there; the timing hides it. A run of the Rust demo on two cores often
//!   does lose updates — but a run can only suggest. `tests/claims/loom.rs` *proves*
//!   it: loom runs two threads through every possible interleaving and finds
//!   the one that loses an update, and it proves that the `Mutex` and
//!   `fetch_add` counters lose none in any interleaving.
//! - **No GIL.** The five Rust threads really run at the same time on
//!   different cores, so a lock is contended for real: that is what the cost
//!   table measures.
//!
//! See also: [`std::sync::Mutex`], [`std::sync::atomic`],
//! [`std::sync::PoisonError`], [`std::thread::scope`], and the loom crate's
//! documentation (<https://docs.rs/loom>).

pub mod atomic;
pub mod local;
pub mod locking;
pub mod plain;
pub mod poison;
pub mod racy;
pub mod sync;
pub mod workers;

pub use atomic::AtomicCounter;
pub use local::{count_locally, local_worker};
pub use locking::LockingCounter;
pub use plain::Counter;
pub use racy::RacyCounter;
pub use workers::{Outcome, SharedCounter, count_with_threads, worker};
