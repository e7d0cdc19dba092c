//! Mistake: a temporary guard per field. Each guard is dropped at the end of
//! its statement, so the lock is released between the two writes, and a
//! reader can take it there and see the count without its reading's sum.

use bw54_lock::sync::Lock;

use crate::one_critical_section::Totals;

const POISONED: &str = "no thread panics while holding the totals' lock";

pub fn record<M: Lock<Totals>>(totals: &M, reading: u64) {
    totals.lock().expect(POISONED).count += 1;
    totals.lock().expect(POISONED).sum += reading;
}

pub fn snapshot<M: Lock<Totals>>(totals: &M) -> Totals {
    *totals.lock().expect(POISONED)
}
