//! Mistake: copy the totals out under the lock, update the copy, and write it
//! back under the lock again. Readers never see half a reading, but two
//! threads can copy out the same totals, and the second write-back erases the
//! first reading: the book's lost update, with a lock on both sides of it.

use bw54_lock::sync::Lock;

use crate::one_critical_section::Totals;

const POISONED: &str = "no thread panics while holding the totals' lock";

pub fn record<M: Lock<Totals>>(totals: &M, reading: u64) {
    let mut copy = *totals.lock().expect(POISONED);
    copy.count += 1;
    copy.sum += reading;
    *totals.lock().expect(POISONED) = copy;
}

pub fn snapshot<M: Lock<Totals>>(totals: &M) -> Totals {
    *totals.lock().expect(POISONED)
}
