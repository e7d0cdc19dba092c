//! 연습 55.2 — 용량 1인 채널로 교착 없는 파이프라인 / Exercise 55.2 — a pipeline on channels of one, without deadlock
//!
//! Put the whole pipeline together: a source of ids, three stages, and the
//! caller collecting receipts, joined by channels that hold one item each.
//! A bound that small is where the wrong arrangement of threads shows: it
//! waits for ever.
//!
//! Run the checks: `cargo test -p bw55-queue --features exercises --test exercises exercise_55_2`

use bw55_queue::work::{Receipt, Stages};

/// Runs the ids `0..items` through download → resize → upload with
/// `workers[0]`, `workers[1]` and `workers[2]` threads in the three stages,
/// and returns one receipt per id, in any order. Call the stages through
/// `stages`: `(stages.download)(id)`, `(stages.resize)(image)`,
/// `(stages.upload)(thumbnail)`.
///
/// Build it from channels and threads yourself (the lesson's `photos::run`
/// does it with `Pipeline`; do not call it):
/// - every channel between two threads is `crossbeam_channel::bounded(1)`,
///   so a full channel makes its sender wait (backpressure);
/// - start the threads inside `std::thread::scope`: they may borrow `stages`,
///   and all of them are joined before the scope returns;
/// - the calling thread collects the receipts until their channel ends.
///
/// Hint: on a channel of one, every send waits for a receiver. A thread that
/// sends every id before it starts collecting receipts waits for room that
/// only its own collecting would make; and a channel ends only when every
/// one of its `Sender`s has been dropped, including the one you created.
///
/// The checks run two pipelines (1, 1, 1 and 3, 4, 5 workers) and verify that:
/// - every id comes back exactly once, with the right receipt;
/// - downloads never get further ahead of uploads than channels of one
///   allow (the workers, plus one item in each channel between them);
/// - the call returns: a pipeline that stops moving for 3 s is reported as
///   stuck, with how far it got.
pub fn run_pipeline(items: u64, workers: [usize; 3], stages: &Stages) -> Vec<Receipt> {
    todo!("exercise 55.2")
}
