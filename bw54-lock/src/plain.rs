//! Step 1: the book's plain `Counter`, and why Rust will not share it.
//!
//! The book's first counter is an object whose `increment` does
//! `self.count += offset`, shared by five threads. In Python that line is a
//! read, an add and a write, and the interpreter may switch threads between
//! them — the data race the item is about.
//!
//! In Rust the same counter needs `&mut self` to change, and `&mut` means
//! *exclusive*: the compiler refuses every way of handing it to two threads at
//! once. The snippets below are `compile_fail` doctests, so `cargo test -p
//! bw54-lock --doc` checks that each one is still rejected. Each holds exactly
//! one mistake, and the comment above the offending line names the error.
//! (Stable rustdoc checks that compiling fails; nightly rustdoc also checks
//! the error code written after `compile_fail`.)
//!
//! Two threads each borrowing the counter mutably (scoped threads, so
//! lifetimes are not the problem — exclusivity is):
//!
//! ```compile_fail,E0499
//! use bw54_lock::Counter;
//!
//! let mut counter = Counter::new();
//! std::thread::scope(|s| {
//!     s.spawn(|| counter.increment(1));
//!     // error[E0499]: cannot borrow `counter` as mutable more than once at a time
//!     s.spawn(|| counter.increment(1));
//! });
//! ```
//!
//! One thread borrowing it from a plain `std::thread::spawn`, which may
//! outlive the function that owns the counter:
//!
//! ```compile_fail,E0373
//! use bw54_lock::Counter;
//!
//! let mut counter = Counter::new();
//! // error[E0373]: closure may outlive the current function, but it borrows `counter`
//! let handle = std::thread::spawn(|| counter.increment(1));
//! handle.join().expect("the thread does not panic");
//! ```
//!
//! Sharing ownership with `Arc` (which is what a Python reference is): an
//! `Arc` hands out only shared references, never `&mut`:
//!
//! ```compile_fail,E0596
//! use bw54_lock::Counter;
//! use std::sync::Arc;
//!
//! let counter = Arc::new(Counter::new());
//! let shared = Arc::clone(&counter);
//! // error[E0596]: cannot borrow data in an `Arc` as mutable
//! std::thread::spawn(move || shared.increment(1));
//! ```
//!
//! Getting `&mut` through `Rc<RefCell<_>>`, the single-threaded way: `Rc`'s
//! reference count is not atomic, so an `Rc` may not move to another thread:
//!
//! ```compile_fail,E0277
//! use bw54_lock::Counter;
//! use std::cell::RefCell;
//! use std::rc::Rc;
//!
//! let counter = Rc::new(RefCell::new(Counter::new()));
//! let shared = Rc::clone(&counter);
//! // error[E0277]: `Rc<RefCell<Counter>>` cannot be sent between threads safely
//! std::thread::spawn(move || shared.borrow_mut().increment(1));
//! ```
//!
//! Making the count atomic (`Arc`) but keeping `RefCell`: its borrow flag is
//! not atomic either, so it may not be *shared* between threads (`Sync`):
//!
//! ```compile_fail,E0277
//! use bw54_lock::Counter;
//! use std::cell::RefCell;
//! use std::sync::Arc;
//!
//! let counter = Arc::new(RefCell::new(Counter::new()));
//! let shared = Arc::clone(&counter);
//! // error[E0277]: `RefCell<Counter>` cannot be shared between threads safely
//! std::thread::spawn(move || shared.borrow_mut().increment(1));
//! ```
//!
//! A global, as C would do it: every access to a `static mut` is `unsafe`,
//! because the compiler cannot rule out exactly this race:
//!
//! ```compile_fail,E0133
//! static mut COUNT: u64 = 0;
//!
//! // error[E0133]: use of mutable static is unsafe and requires unsafe block
//! std::thread::spawn(|| COUNT += 1);
//! ```
//!
//! The fix the book makes is the one the compiler accepts: put the counter
//! behind a lock. A `Mutex` hands out `&mut Counter` to one thread at a time,
//! so a shared `&Mutex<Counter>` is enough:
//!
//! ```
//! use bw54_lock::Counter;
//! use std::sync::Mutex;
//!
//! let counter = Mutex::new(Counter::new());
//! std::thread::scope(|s| {
//!     for _ in 0..2 {
//!         s.spawn(|| counter.lock().expect("no thread panics").increment(1));
//!     }
//! });
//! assert_eq!(counter.into_inner().expect("not poisoned").count(), 2);
//! ```
//!
//! That is [`LockingCounter`](crate::LockingCounter).

/// The book's `Counter`: a count and an `increment` that adds to it.
///
/// Changing it takes `&mut self`, so it is exclusive to one thread at a time;
/// see the [module docs](self) for what the compiler says when you try to
/// share it. Each thread may still own one ([`count_locally`](crate::count_locally)),
/// and a lock may guard one ([`LockingCounter`](crate::LockingCounter)).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counter {
    count: u64,
}

impl Counter {
    /// A counter at zero.
    pub const fn new() -> Self {
        Self { count: 0 }
    }

    /// Adds `offset` to the count: the book's `self.count += offset`.
    pub fn increment(&mut self, offset: u64) {
        self.count += offset;
    }

    /// The count so far.
    pub const fn count(&self) -> u64 {
        self.count
    }
}
