//! The work the main thread keeps doing while the blocking calls wait.
//!
//! The book's example is a helicopter drone: while its threads wait on system
//! calls, the main thread goes on computing where the helicopter is
//! (`compute_helicopter_location(index)`, left empty in the book). Here it
//! does real arithmetic with an answer that can be checked: the helicopter
//! flies a circular search orbit, and its position is found by dead
//! reckoning — integrating its velocity over time — as a navigation computer
//! without a fix would.

use std::f64::consts::TAU;

/// Radius of the search orbit, in metres.
pub const ORBIT_RADIUS_M: f64 = 500.0;
/// Ground speed along the orbit, in metres per second.
pub const SPEED_M_PER_S: f64 = 50.0;
/// Sub-intervals of the numerical integration: enough for micrometre accuracy,
/// and about 10 µs of work per location.
const INTERVALS: usize = 1000;

/// A position relative to the orbit's centre, in metres.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Location {
    /// Metres east of the centre.
    pub east_m: f64,
    /// Metres north of the centre.
    pub north_m: f64,
}

/// Where the helicopter is `index` seconds after it started its orbit (due
/// east of the centre, flying anticlockwise).
///
/// The position is the start plus the integral of the velocity, computed with
/// Simpson's rule — the CPU work the main thread does while blocking calls run
/// on other threads. The orbit repeats every lap, so only the time into the
/// current lap is integrated.
pub fn compute_helicopter_location(index: usize) -> Location {
    let omega = SPEED_M_PER_S / ORBIT_RADIUS_M;
    let lap_s = TAU / omega;
    // `index` is in whole seconds; precision is lost only past 2^53 s.
    let t = (index as f64) % lap_s;

    // Velocity on the orbit at time s: tangent to the circle.
    let velocity = |s: f64| {
        let angle = omega * s;
        (-SPEED_M_PER_S * angle.sin(), SPEED_M_PER_S * angle.cos())
    };

    // Simpson's rule: weights 1, 4, 2, 4, ..., 2, 4, 1 times h/3.
    let h = t / INTERVALS as f64;
    let (mut east, mut north) = (0.0, 0.0);
    for i in 0..=INTERVALS {
        let weight = if i == 0 || i == INTERVALS {
            1.0
        } else if i % 2 == 1 {
            4.0
        } else {
            2.0
        };
        let (ve, vn) = velocity(i as f64 * h);
        east += weight * ve;
        north += weight * vn;
    }
    Location {
        east_m: ORBIT_RADIUS_M + east * h / 3.0,
        north_m: north * h / 3.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dead_reckoning_stays_on_the_orbit() {
        let omega = SPEED_M_PER_S / ORBIT_RADIUS_M;
        for index in 0..200 {
            let at = compute_helicopter_location(index);
            let angle = omega * index as f64;
            let (east, north) = (ORBIT_RADIUS_M * angle.cos(), ORBIT_RADIUS_M * angle.sin());
            assert!(
                (at.east_m - east).abs() < 1e-6 && (at.north_m - north).abs() < 1e-6,
                "second {index}: computed {at:?}, exact ({east}, {north})"
            );
        }
    }
}
