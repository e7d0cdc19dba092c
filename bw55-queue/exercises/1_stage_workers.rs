//! 연습 55.1 — 파이프라인 단계의 작업자 쓰기 / Exercise 55.1 — write a pipeline stage's workers
//!
//! A stage of the download → resize → upload pipeline is a few threads that
//! take items from the channel before them, work on each one, and send the
//! result into the channel after them. Write those threads so that the stage
//! ends by itself when its input ends, and its output ends with it.
//!
//! Run the checks: `cargo test -p bw55-queue --features exercises --test exercises exercise_55_1`

use std::sync::Arc;
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, Sender};

/// What a stage does to one item; shared by all of the stage's workers.
pub type Work<In, Out> = Arc<dyn Fn(In) -> Out + Send + Sync>;

/// Starts exactly `workers` threads and returns their handles at once. Each
/// worker takes items from `input`, one at a time, and sends `work(item)` to
/// `output`, until:
///
/// - `input` is closed *and* empty (every upstream `Sender` is gone): then
///   the worker returns. An empty input only means "not yet";
/// - or nobody receives from `output` any more (`send` returns `Err`): then
///   the worker returns too, without panicking, so the stage before this one
///   sees its own sends fail and stops in turn.
///
/// The output must close when the last worker returns, so that the next stage
/// ends too. Hint: a channel closes when its last `Sender` is dropped, and
/// both channel halves can be cloned — give each worker its own clones and
/// keep none.
///
/// The checks run your stage between two channels that hold one item each
/// (`crossbeam_channel::bounded(1)`) and verify that:
/// - with one worker, every item comes out exactly once and in order, also
///   the items sent after a pause with an empty input;
/// - with 3 workers, 3 items are worked on at once, never more;
/// - once the input is closed, the output closes and every worker returns;
/// - when the next stage goes away, the stage stops taking items and no
///   worker panics.
pub fn start_stage<In, Out>(
    workers: usize,
    input: Receiver<In>,
    output: Sender<Out>,
    work: Work<In, Out>,
) -> Vec<JoinHandle<()>>
where
    In: Send + 'static,
    Out: Send + 'static,
{
    todo!("exercise 55.1")
}
