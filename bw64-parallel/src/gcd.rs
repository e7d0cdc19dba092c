//! The book's CPU-bound task: the greatest common divisor by a slow downward
//! search, over ten pairs of numbers.

/// The book's ten pairs.
pub const NUMBERS: [(u64, u64); 10] = [
    (1963309, 2265973),
    (2030677, 3814172),
    (1551645, 2229620),
    (2039045, 2020802),
    (1823712, 1924928),
    (2293129, 1020491),
    (1281238, 2273782),
    (3823812, 4237281),
    (3812741, 4729139),
    (1292391, 2123811),
];

/// The book's `gcd`: try every candidate from the smaller number down to 1
/// and return the first that divides both. Deliberately slow — millions of
/// divisions per pair — so that it is pure CPU work worth spreading over
/// cores.
///
/// # Panics
///
/// If either number is zero (no positive divisor search is possible).
pub fn gcd((a, b): (u64, u64)) -> u64 {
    assert!(
        a > 0 && b > 0,
        "gcd needs two positive numbers, got ({a}, {b})"
    );
    let low = a.min(b);
    (1..=low)
        .rev()
        .find(|i| a % i == 0 && b % i == 0)
        .expect("1 divides every number")
}

/// Euclid's algorithm: the fast, independent check of [`gcd`].
pub fn gcd_euclid((mut a, mut b): (u64, u64)) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}
