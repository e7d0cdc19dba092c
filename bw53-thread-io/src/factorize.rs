//! The CPU-bound half of the lesson: the book's naive `factorize`, run
//! serially and with one thread per number.
//!
//! In Python the threaded run is no faster than the serial one: only the
//! thread holding the GIL executes bytecode, so four threads take turns on one
//! core. In Rust each thread is an operating-system thread running machine
//! code with nothing to share, so the kernel runs them on different cores at
//! the same time. Both runs here do exactly the same work and return the same
//! divisors; only *where* the work runs differs.

use std::hint::black_box;
use std::thread;

/// The four numbers the book factorizes.
pub const BOOK_NUMBERS: [u64; 4] = [2_139_079, 1_214_759, 1_516_637, 1_852_285];

/// Every divisor of `number`, in increasing order, found the book's way: by
/// trying each candidate from 1 to `number`.
///
/// This is deliberately naive. The point of the book's example is a function
/// that keeps a core busy for a while and does nothing else — no I/O, no
/// shared data — so the only question is whether threads let it use more
/// cores. The work grows with the number itself: 2,139,079 divisions for the
/// first book number. [`factorize_sqrt`] is the fast way, kept to check this
/// one.
///
/// ```
/// assert_eq!(bw53_thread_io::factorize(12), [1, 2, 3, 4, 6, 12]);
/// ```
pub fn factorize(number: u64) -> Vec<u64> {
    // The book's generator `for i in range(1, number + 1): if number % i == 0:
    // yield i`, collected into a vector instead of yielded one by one.
    (1..=number)
        .filter(|&candidate| number.is_multiple_of(candidate))
        .collect()
}

/// The same divisors as [`factorize`], found by trying candidates only up to
/// √`number` and adding each partner `number / d`.
///
/// An independent check of the naive version, a thousand times faster on the
/// book's numbers; the demo and the tests compare the two.
pub fn factorize_sqrt(number: u64) -> Vec<u64> {
    let mut small = Vec::new();
    let mut large = Vec::new();
    let mut candidate = 1;
    // `candidate <= number / candidate` is `candidate² <= number` without
    // the overflow a square could cause near `u64::MAX`.
    while candidate <= number / candidate {
        if number.is_multiple_of(candidate) {
            small.push(candidate);
            let partner = number / candidate;
            if partner != candidate {
                large.push(partner);
            }
        }
        candidate += 1;
    }
    // The partners were found largest first.
    small.extend(large.into_iter().rev());
    small
}

/// [`factorize`] run `repeat` times on the same number; returns the divisors
/// (every run finds the same ones).
///
/// In Rust the book's four numbers take about 10 ms in all, too little for
/// the cost of starting threads to stay out of the measurement. Repeating the
/// same work on each thread makes the run long enough to see how much of it
/// overlapped, without changing what is computed.
///
/// # Panics
///
/// If `repeat` is zero: there would be no run whose result to return.
pub fn factorize_repeated(number: u64, repeat: u32) -> Vec<u64> {
    assert!(repeat > 0, "factorize_repeated needs at least one run");
    // One span per number, around all its runs: a timeline shows which
    // thread searched which number, and when. Never one per division.
    let _factorize = tracing::info_span!("factorize", number).entered();
    let mut divisors = Vec::new();
    for _ in 0..repeat {
        // `black_box` hides the number from the optimiser, so it cannot
        // notice that every run computes the same thing and keep only one.
        divisors = factorize(black_box(number));
    }
    divisors
}

/// The book's serial run: each number in turn, on the calling thread.
///
/// Returns the divisors of each number, in the order of `numbers`.
///
/// # Panics
///
/// If `repeat` is zero (see [`factorize_repeated`]).
pub fn factorize_serial(numbers: &[u64], repeat: u32) -> Vec<Vec<u64>> {
    numbers
        .iter()
        .map(|&number| factorize_repeated(number, repeat))
        .collect()
}

/// The book's threaded run: one thread per number, all started before any is
/// joined.
///
/// Returns the same as [`factorize_serial`]. The book's `FactorizeThread`
/// stores its result in a field the main thread reads after `join()`; here
/// the thread's closure *returns* the divisors and [`JoinHandle::join`] hands
/// them back, so no field is shared between the threads at all.
///
/// # Panics
///
/// If `repeat` is zero (see [`factorize_repeated`]), or the operating system
/// cannot start a thread (as [`thread::spawn`] would); a panic in a thread is
/// passed on to the caller.
///
/// [`JoinHandle::join`]: std::thread::JoinHandle::join
pub fn factorize_threads(numbers: &[u64], repeat: u32) -> Vec<Vec<u64>> {
    // Start every thread first; joining inside this loop would wait for each
    // thread before starting the next and make the run serial again.
    let handles: Vec<_> = numbers
        .iter()
        .enumerate()
        .map(|(index, &number)| {
            // Named, like the blocking calls' threads, so that a trace draws
            // each number's search on a lane called after its thread.
            thread::Builder::new()
                .name(format!("thread {index}"))
                .spawn(move || factorize_repeated(number, repeat))
                .expect("the operating system starts a thread per number")
        })
        .collect();
    handles
        .into_iter()
        // `join` is Err only if the thread panicked; re-raise that panic here
        // with its original payload rather than inventing a new message.
        .map(|handle| {
            handle
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_numbers_have_their_divisors() {
        assert_eq!(factorize(1), [1]);
        assert_eq!(factorize(7), [1, 7]);
        assert_eq!(factorize(36), [1, 2, 3, 4, 6, 9, 12, 18, 36]);
        assert!(factorize(0).is_empty());
    }

    #[test]
    fn both_methods_agree_up_to_a_thousand() {
        for n in 0..=1000 {
            assert_eq!(factorize(n), factorize_sqrt(n), "number {n}");
        }
    }

    #[test]
    fn sqrt_method_finds_partners_beyond_the_square_root() {
        let n = 641 * 6_700_417_u64;
        assert_eq!(factorize_sqrt(n), [1, 641, 6_700_417, n]);
        // A square has its root once, not twice.
        assert_eq!(factorize_sqrt(49), [1, 7, 49]);
    }
}
