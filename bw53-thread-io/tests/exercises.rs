//! The checks of this lesson's exercises.
//!
//! By default they run against the reference answers in `solutions/`, so
//! `cargo test --workspace` proves the checks pass on a right answer; with
//! `--features exercises` they run against your files in `exercises/`:
//!
//! ```text
//! cargo test -p bw53-thread-io --features exercises --test exercises
//! ```
//!
//! The calls your code makes are real blocking receives on a loopback
//! connection (the lesson's [`wait_for_data`]). None of them can end until
//! the check writes a byte to the connection, and the check does that only
//! once it has seen the overlap it looks for — or after a window that only a
//! wrong answer waits out. So overlap is observed, never timed.
//!
//! Each catalogued mistake in `tests/mistakes/` must be rejected by its
//! exercise's check, with the words a learner would need; the `mistake_*`
//! tests prove it (without the feature only).

use std::io::{self, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use bw53_thread_io::{Readiness, connected_pair, wait_for_data};
use course_support::InFlight;
use course_support::exercise::{Exercise, verdict, wait_until};

#[cfg_attr(
    feature = "exercises",
    path = "../exercises/1_thread_per_call.rs",
    allow(clippy::todo, unused_variables)
)]
#[cfg_attr(not(feature = "exercises"), path = "../solutions/1_thread_per_call.rs")]
#[allow(unreachable_pub)]
mod thread_per_call;

#[cfg_attr(
    feature = "exercises",
    path = "../exercises/2_work_while_waiting.rs",
    allow(clippy::todo, unused_variables)
)]
#[cfg_attr(
    not(feature = "exercises"),
    path = "../solutions/2_work_while_waiting.rs"
)]
#[allow(unreachable_pub)]
mod work_while_waiting;

/// How many blocking calls each check makes: the book's five.
const CALLS: usize = 5;

/// Long enough for any of these runs on a busy machine; only a stuck answer
/// reaches it.
const STUCK: Duration = Duration::from_secs(10);

/// How long the calls are held when the overlap a check looks for does not
/// happen. A right answer never waits it out: its calls are released as soon
/// as all of them are blocked.
const WINDOW: Duration = Duration::from_secs(2);

/// Longer than anything here waits; a receive that reaches it means the
/// check itself is broken.
const SAFETY: Duration = Duration::from_secs(30);

/// What one of the check's calls returns: its index, or why it failed.
type CallResult = Result<usize, String>;

/// Blocking calls that stay blocked in the kernel until released: each one
/// receives from the same loopback connection, whose peer writes a single
/// byte on [`release`](Self::release). The receive only peeks, so that byte
/// wakes every call, and calls made after it return at once.
#[derive(Debug)]
struct HeldCalls {
    /// Calls blocked in their receive right now, and the most at once.
    in_flight: InFlight,
    /// The end every call receives from.
    reader: TcpStream,
    /// The silent peer; one byte written here releases every call.
    writer: Mutex<TcpStream>,
    released: AtomicBool,
}

impl HeldCalls {
    fn new() -> io::Result<Arc<Self>> {
        let (reader, writer) = connected_pair()?;
        Ok(Arc::new(Self {
            in_flight: InFlight::new(),
            reader,
            writer: Mutex::new(writer),
            released: AtomicBool::new(false),
        }))
    }

    /// One blocking call: counts as in flight while blocked in the receive.
    fn call(&self, index: usize) -> CallResult {
        let _blocked = self.in_flight.enter();
        match wait_for_data(&self.reader, SAFETY) {
            Ok(Readiness::Ready) => Ok(index),
            Ok(Readiness::TimedOut) => Err(format!("call {index} was never released")),
            Err(error) => Err(format!("call {index} failed: {error}")),
        }
    }

    /// Writes the byte that ends every call, once.
    fn release(&self) {
        if !self.released.swap(true, SeqCst) {
            self.writer
                .lock()
                .expect("nothing panics while holding the writer")
                .write_all(b"!")
                .expect("the loopback connection is open");
        }
    }

    /// Releases the calls after [`WINDOW`] at the latest, on a thread of its
    /// own so that the answer runs meanwhile — and, if `when_all_blocked`, as
    /// soon as `CALLS` of them are blocked at once. (Without it, someone else
    /// is meant to release them, and the window only ends a wrong answer.)
    fn releaser(self: &Arc<Self>, when_all_blocked: bool) -> thread::JoinHandle<()> {
        let held = Arc::clone(self);
        thread::spawn(move || {
            wait_until(WINDOW, || {
                held.released.load(SeqCst)
                    || (when_all_blocked && held.in_flight.current() >= CALLS)
            });
            held.release();
        })
    }
}

/// The results must be `Ok(0)`, `Ok(1)`, ... in order.
fn check_results(ex: Exercise, what: &str, results: &[CallResult]) -> Result<(), String> {
    ex.ensure(
        results.len() == CALLS,
        || {
            format!(
                "{what} returned {} results for {CALLS} calls",
                results.len()
            )
        },
        "return one result per call",
    )?;
    for (index, result) in results.iter().enumerate() {
        match result {
            Ok(returned) if *returned == index => {}
            Ok(returned) => {
                return Err(ex.fail(
                    format!("result {index} came from call {returned}"),
                    "return the results in the order of the calls: join the handles in the \
                     order they were spawned",
                ));
            }
            Err(error) => return Err(ex.fail(error, "every call should end normally here")),
        }
    }
    Ok(())
}

/// No call may still be running once the answer has returned.
fn check_none_left(ex: Exercise, what: &str, held: &HeldCalls) -> Result<(), String> {
    let left = held.in_flight.current();
    ex.ensure(
        left == 0,
        || format!("{left} calls were still running when {what} returned"),
        "join every thread before returning (scoped threads are joined by their scope)",
    )
}

const EX_53_1: Exercise = Exercise::new("53.1", "bw53-thread-io/exercises/1_thread_per_call.rs");

/// The learner's `call_on_threads`, for the check's calls.
type CallOnThreads = fn(usize, &(dyn Fn(usize) -> CallResult + Sync)) -> Vec<CallResult>;

/// Exercise 53.1's check: five held calls.
fn check_thread_per_call(call_on_threads: CallOnThreads) -> Result<(), String> {
    let ex = EX_53_1;
    let held = HeldCalls::new().map_err(|e| ex.fail(e, "the loopback connection must open"))?;
    let releaser = held.releaser(true);
    let calls = Arc::clone(&held);
    let results = ex.run("call_on_threads", STUCK, move || {
        call_on_threads(CALLS, &|index| calls.call(index))
    });
    // Whatever happened, the calls are released and the releaser ends.
    held.release();
    releaser.join().expect("the releaser does not panic");
    let results = results?;
    check_none_left(ex, "call_on_threads", &held)?;
    check_results(ex, "call_on_threads", &results)?;
    let peak = held.in_flight.peak();
    ex.ensure(
        peak == CALLS,
        || {
            format!(
                "at most {peak} of the {CALLS} calls were blocked at once; on threads \
                 started together, all {CALLS} wait together"
            )
        },
        "start every thread before joining any; joining a thread right after spawning it \
         waits out its call before the next one starts",
    )
}

#[test]
fn exercise_53_1_thread_per_call() {
    verdict(check_thread_per_call(thread_per_call::call_on_threads));
}

const EX_53_2: Exercise = Exercise::new("53.2", "bw53-thread-io/exercises/2_work_while_waiting.rs");

/// The learner's `call_while_working`, for the check's calls.
type CallWhileWorking = fn(
    usize,
    &(dyn Fn(usize) -> CallResult + Sync),
    &mut dyn FnMut(usize),
) -> (Vec<CallResult>, usize);

/// Exercise 53.2's check: five held calls, released by the main thread's work.
fn check_work_while_waiting(call_while_working: CallWhileWorking) -> Result<(), String> {
    let ex = EX_53_2;
    let held = HeldCalls::new().map_err(|e| ex.fail(e, "the loopback connection must open"))?;
    // The main thread's work releases the calls once it sees all of them
    // blocked; this only ends the run of an answer whose work never does.
    let releaser = held.releaser(false);
    let worked = Arc::new(AtomicUsize::new(0));
    let released_by_work = Arc::new(AtomicBool::new(false));
    let (calls, work) = (Arc::clone(&held), Arc::clone(&held));
    let (worked_in, released_in) = (Arc::clone(&worked), Arc::clone(&released_by_work));
    let outcome = ex.run("call_while_working", STUCK, move || {
        let mut main_work = |_index: usize| {
            worked_in.fetch_add(1, SeqCst);
            if work.in_flight.current() == CALLS && !work.released.load(SeqCst) {
                released_in.store(true, SeqCst);
                work.release();
            }
        };
        call_while_working(CALLS, &|index| calls.call(index), &mut main_work)
    });
    held.release();
    releaser.join().expect("the releaser does not panic");
    let (results, reported) = outcome?;
    check_none_left(ex, "call_while_working", &held)?;
    check_results(ex, "call_while_working", &results)?;
    let worked = worked.load(SeqCst);
    ex.ensure(
        released_by_work.load(SeqCst),
        || {
            format!(
                "the main thread's work never ran while the {CALLS} calls were blocked \
                 (it ran {worked} time{} in all, none of them during the wait)",
                if worked == 1 { "" } else { "s" }
            )
        },
        "keep calling `main_work` while any thread is unfinished (`JoinHandle::is_finished`); \
         a `join` blocks the main thread until that call returns",
    )?;
    ex.ensure(
        reported == worked,
        || format!("call_while_working said main_work ran {reported} times; it ran {worked} times"),
        "count every call of `main_work`",
    )
}

#[test]
fn exercise_53_2_work_while_waiting() {
    verdict(check_work_while_waiting(
        work_while_waiting::call_while_working,
    ));
}

/// Wrong answers the checks must reject, each with the words that point to
/// its fix.
#[cfg(not(feature = "exercises"))]
#[allow(unreachable_pub)]
mod mistakes {
    use super::*;
    use course_support::exercise::rejected;

    #[path = "1_joins_each_at_once.rs"]
    mod joins_each_at_once;
    #[path = "2_joins_then_works.rs"]
    mod joins_then_works;

    #[test]
    fn mistake_53_1_joins_each_at_once() {
        rejected(
            check_thread_per_call(joins_each_at_once::call_on_threads),
            "at most 1 of the 5 calls were blocked at once",
        );
    }

    #[test]
    fn mistake_53_2_joins_then_works() {
        rejected(
            check_work_while_waiting(joins_then_works::call_while_working),
            "main thread's work never ran while the 5 calls were blocked",
        );
    }
}
