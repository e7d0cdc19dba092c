//! The CPU half: a thread per number finds exactly what the serial run finds.

use bw53_thread_io::{
    BOOK_NUMBERS, factorize, factorize_repeated, factorize_serial, factorize_sqrt,
    factorize_threads,
};

#[test]
fn book_numbers_have_their_known_divisors() {
    let expected: [&[u64]; 4] = [
        &[1, 101, 21_179, 2_139_079],
        &[
            1, 7, 13, 49, 91, 637, 1_907, 13_349, 24_791, 93_443, 173_537, 1_214_759,
        ],
        &[1, 19, 79_823, 1_516_637],
        &[1, 5, 271, 1_355, 1_367, 6_835, 370_457, 1_852_285],
    ];
    for (number, divisors) in BOOK_NUMBERS.iter().zip(expected) {
        assert_eq!(factorize(*number), divisors, "divisors of {number}");
    }
}

#[test]
fn threads_find_the_same_divisors_as_serial() {
    let serial = factorize_serial(&BOOK_NUMBERS, 1);
    assert_eq!(factorize_threads(&BOOK_NUMBERS, 1), serial);
    // Repeating the work changes how long it takes, not what it finds.
    assert_eq!(factorize_threads(&BOOK_NUMBERS, 3), serial);
    let checked: Vec<Vec<u64>> = BOOK_NUMBERS.iter().map(|&n| factorize_sqrt(n)).collect();
    assert_eq!(serial, checked);
}

#[test]
fn results_keep_the_order_of_the_numbers() {
    // Threads finish in any order (the small numbers first, most likely);
    // joining the handles in the order they were started keeps the results
    // in the order of the input.
    let numbers = [1_000_003, 12, 997, 360_360, 1];
    let threaded = factorize_threads(&numbers, 1);
    for (number, divisors) in numbers.iter().zip(&threaded) {
        assert_eq!(divisors.last(), Some(number));
    }
    assert_eq!(threaded, factorize_serial(&numbers, 1));
}

#[test]
fn no_numbers_means_no_threads_and_no_results() {
    assert!(factorize_threads(&[], 1).is_empty());
    assert!(factorize_serial(&[], 1).is_empty());
}

#[test]
#[should_panic(expected = "at least one run")]
fn zero_repeats_is_refused() {
    let _ = factorize_repeated(10, 0);
}
