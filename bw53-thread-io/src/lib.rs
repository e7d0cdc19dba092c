//! # Item 53: use threads for blocking I/O, avoid them for parallelism
//!
//! Start here: `examples/core.rs`, the item in one page. Run it with
//! `cargo run -p bw53-thread-io --example core`, break it with `-- --break`,
//! and read it; then run the demo (`cargo run -p bw53-thread-io`), then read
//! `src/` and `tests/`.
//!
//! *Effective Python*, 2nd ed., item 53 (블로킹 I/O의 경우 스레드를 사용하고
//! 병렬성을 피하라). The book makes two experiments with threads:
//!
//! 1. **CPU work.** Factorize four numbers by naive trial division, first one
//!    after another, then with a thread per number. In Python the threaded run
//!    is no faster — on this course's machine the book's code took 0.24 s
//!    serially and 0.22 s with threads — because the global interpreter lock
//!    (GIL) lets only one thread execute Python bytecode at a time.
//! 2. **Blocking I/O.** Make a system call that blocks for 0.1 s (`select` on
//!    a socket nobody writes to) five times serially, then from five threads
//!    while the main thread keeps computing a helicopter's position. Now the
//!    threads win, about five to one: a thread blocked in the kernel has
//!    released the GIL, so the waits overlap.
//!
//! The book's advice follows: in Python, use threads for blocking I/O and
//! avoid them for parallel computation. This crate runs both experiments in
//! Rust, where the first one comes out differently.
//!
//! ## What you'll see
//!
//! `cargo run -p bw53-thread-io` first factorizes the book's four numbers
//! ([`BOOK_NUMBERS`]) serially and with four threads, checks that both runs
//! found the same divisors, and prints the speedup. Rust does the book's work
//! in about 10 ms, so short that starting threads is a visible part of it; the
//! demo therefore also factorizes each number 40 times (`--repeat`), the same
//! work repeated on each thread, and on two cores the threads come close to
//! 2× — where Python's threads gave 1.1×.
//!
//! Then it makes five real blocking receives with a 100 ms timeout, each on a
//! loopback TCP connection that never receives data ([`slow_systemcall`]):
//! serially about 500 ms, from five threads about 100 ms, while the main
//! thread computed helicopter locations ([`compute_helicopter_location`]) the
//! whole time. Then it draws five shorter receives made the same two ways
//! ([`drawing`]), from the spans the calls leave: one lane busy five times in
//! a row against five lanes busy at once. Everything here uses only the
//! standard library and runs alike on Linux, macOS and Windows.
//!
//! ## The pieces
//!
//! - [`factorize`]: the book's naive divisor search, with
//!   [`factorize_serial`] and [`factorize_threads`] running it over several
//!   numbers, and [`factorize_sqrt`] as an independent check.
//! - [`slow_systemcall`]: a blocking system call that can only time out,
//!   built on [`wait_for_data`] (a receive on a [`TcpStream`](std::net::TcpStream)
//!   with [`set_read_timeout`](std::net::TcpStream::set_read_timeout)) and
//!   [`connected_pair`].
//! - [`run_serial`] and [`run_threaded`]: make N calls one after another, or
//!   from N threads while the main thread keeps working.
//! - [`compute_helicopter_location`]: that main-thread work.
//! - [`drawing`]: five short receives serially and from a thread each, drawn
//!   from their `blocking receive` spans on one time axis; the demo prints it.
//!
//! ## Run it
//!
//! ```text
//! cargo run -p bw53-thread-io
//! cargo run -p bw53-thread-io -- --repeat 100 --calls 10 --timeout 50ms
//! cargo run -p bw53-thread-io -- --trace thread-io.json   # a lane per thread
//! cargo bench -p bw53-thread-io
//! ```
//!
//! ## The key idea
//!
//! A thread blocked in a system call is not running: the kernel parks it
//! until the socket is readable or the timeout expires, and the core is free
//! for others. So threads overlap *waiting* in any language, as long as
//! nothing holds a lock across the wait — CPython releases the GIL around
//! blocking calls, which is why item 53's I/O half works there. Threads
//! overlap *computing* only if the language lets them execute at the same
//! time, which CPython's GIL does not and Rust does.
//!
//! ## How Rust differs from the Python original
//!
//! - **Rust threads run in parallel.** A [`std::thread`] is an operating-system
//!   thread executing machine code, with no interpreter lock; the compiler
//!   instead checks at build time that what threads share is safe to share
//!   (`Send`, `Sync`). The factorization that gains nothing in Python runs
//!   close to `cores` times faster here. The book's advice "avoid threads for
//!   parallelism" is about CPython, not about threads.
//! - **Results come back through `join`.** The book's `FactorizeThread` keeps
//!   its result in an attribute read after `join()`; a Rust thread's closure
//!   returns its result, and [`JoinHandle::join`](std::thread::JoinHandle::join)
//!   hands it over — or the thread's panic, which the caller must deal with.
//! - **Scoped threads.** [`std::thread::scope`] lets threads borrow local data
//!   and guarantees they are joined before the scope ends, so no thread can
//!   outlive the data it uses, and none is left running.
//!
//! ## When threads are the right tool in Rust, and when they are not
//!
//! Threads are right for:
//! - **a handful of blocking calls** that have to overlap: file I/O, a
//!   blocking database driver, a child process's pipes, `getaddrinfo`, any
//!   library with no async interface. A thread per call is the simplest code
//!   that works, as this crate shows;
//! - **CPU-bound work** that can be split: unlike in Python, Rust threads use
//!   every core. For data-parallel loops prefer a pool that splits the work to
//!   fit the cores (rayon, item 64) over a thread per item.
//!
//! Threads are the wrong tool for:
//! - **thousands of concurrent waits** (connections, timers, cells of a big
//!   grid). Each thread is a kernel object with its own stack (2 MiB of address
//!   space by default for spawned threads), costs tens of microseconds to
//!   start, and must be scheduled; ten thousand threads mostly measure the
//!   operating system. Items 57 and 59 measure that cost and cap it with a
//!   pool; item 60 replaces the threads with async tasks, which wait with a
//!   few hundred bytes each and are multiplexed over a few threads by a
//!   runtime such as tokio — which in turn asks the kernel (epoll on Linux,
//!   kqueue on macOS, IOCP on Windows) to watch all their sockets from one
//!   thread.
//! - **waiting without a way out.** A thread cannot be cancelled from outside
//!   — not in Python, not in Rust. A blocking call with no timeout and no way
//!   to wake it can keep its thread (and a `join` waiting for it) forever; that
//!   is why every wait here has a timeout.
//!
//! See also: [`std::thread::spawn`], [`std::thread::scope`],
//! [`std::thread::available_parallelism`],
//! [`std::net::TcpStream::set_read_timeout`], [`std::net::TcpStream::peek`].

mod blocking;
mod calls;
mod drawn;
mod factorize;
mod helicopter;

pub use blocking::{Readiness, connected_pair, slow_systemcall, wait_for_data};
pub use calls::{Overlapped, run_serial, run_threaded};
pub use drawn::drawing;
pub use factorize::{
    BOOK_NUMBERS, factorize, factorize_repeated, factorize_serial, factorize_sqrt,
    factorize_threads,
};
pub use helicopter::{Location, ORBIT_RADIUS_M, SPEED_M_PER_S, compute_helicopter_location};
