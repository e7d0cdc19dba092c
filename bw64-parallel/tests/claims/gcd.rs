//! Every way of computing the book's gcds finds the same divisors, and the
//! slow search agrees with Euclid's algorithm.

use bw64_parallel::{NUMBERS, gcd, gcd_euclid, rayon_pool, serial, std_threads};
use proptest::prelude::*;

#[test]
fn book_pairs_match_euclid() {
    let expected: Vec<u64> = NUMBERS.iter().copied().map(gcd_euclid).collect();
    assert_eq!(serial(&NUMBERS), expected);
}

#[test]
fn threads_and_rayon_equal_serial_for_every_count() {
    let expected = serial(&NUMBERS);
    for threads in [1, 2, 3, 10, 16] {
        assert_eq!(
            std_threads(&NUMBERS, threads),
            expected,
            "{threads} std threads"
        );
        assert_eq!(
            rayon_pool(&NUMBERS, threads).expect("pool"),
            expected,
            "rayon({threads})"
        );
    }
}

#[test]
fn empty_input_gives_empty_output() {
    assert!(std_threads(&[], 2).is_empty());
    assert!(rayon_pool(&[], 2).expect("pool").is_empty());
}

proptest! {
    #[test]
    fn slow_search_equals_euclid(a in 1u64..5_000, b in 1u64..5_000) {
        prop_assert_eq!(gcd((a, b)), gcd_euclid((a, b)));
    }
}
