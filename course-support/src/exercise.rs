//! What every lesson's exercise checks share: running the learner's code under
//! a watchdog, making overlap observable, and wording a failure so that it
//! teaches.
//!
//! Each lesson's `tests/exercises.rs` checks its exercises. A check returns
//! `Result<(), String>`: the error is the whole message the learner reads,
//! built by [`Exercise::fail`] as
//! `exercise 59.1: <what was measured, against the property> — hint: <hint>`.
//! The test itself passes the result to [`verdict`]; a catalogued mistake's
//! test passes it to [`rejected`], which proves the check catches that mistake
//! with the expected words.
//!
//! Nothing here rests on a tight wall-clock time. [`Exercise::run`]'s limit
//! only separates "finished" from "stuck" (seconds, for code that needs
//! milliseconds), and [`OverlapProbe`] holds calls until the overlap it looks
//! for has happened, so a slow machine makes a check slower, not wrong.

use std::fmt::Display;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::InFlight;

/// One exercise: its number (`"59.1"`) and the file the learner edits.
#[derive(Debug, Clone, Copy)]
pub struct Exercise {
    id: &'static str,
    file: &'static str,
}

impl Exercise {
    /// Names exercise `id` (`"59.1"`), whose stub is `file`
    /// (`"bw59-threadpool/exercises/1_worker_loop.rs"`).
    pub const fn new(id: &'static str, file: &'static str) -> Self {
        Self { id, file }
    }

    /// The exercise's number, e.g. `59.1`.
    pub fn id(&self) -> &'static str {
        self.id
    }

    /// The message for a property that does not hold: what was seen, then a
    /// hint towards the fix.
    pub fn fail(&self, what: impl Display, hint: impl Display) -> String {
        format!("exercise {}: {what} — hint: {hint}", self.id)
    }

    /// `Ok` if `holds`, else [`fail`](Self::fail) with the words `what`
    /// returns (only computed on failure) and `hint`.
    pub fn ensure(
        &self,
        holds: bool,
        what: impl FnOnce() -> String,
        hint: impl Display,
    ) -> Result<(), String> {
        if holds {
            Ok(())
        } else {
            Err(self.fail(what(), hint))
        }
    }

    /// Runs the learner's code `f` on a thread of its own and waits at most
    /// `limit` for it; `what` names the call in messages ("your pool").
    ///
    /// - If `f` returns, its value.
    /// - If it panics with `todo!()`, the message says the exercise is not
    ///   done yet and names the file to edit.
    /// - If it panics otherwise, the message quotes the panic.
    /// - If it has not returned after `limit`, the message says it made no
    ///   progress — a deadlock, or a worker waiting for something that never
    ///   comes. The stuck thread is left behind (a thread cannot be killed);
    ///   the test process ends with the test.
    pub fn run<T: Send + 'static>(
        &self,
        what: &str,
        limit: Duration,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, String> {
        let (done, finished) = mpsc::channel();
        let runner = thread::Builder::new()
            .name(format!("exercise {}", self.id))
            .spawn(move || {
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
                // The checker may have given up waiting; then nobody listens.
                let _ = done.send(outcome);
            })
            .map_err(|error| format!("exercise {}: cannot start a thread: {error}", self.id))?;
        match finished.recv_timeout(limit) {
            Ok(Ok(value)) => {
                runner
                    .join()
                    .map_err(|_| format!("exercise {}: the runner thread panicked", self.id))?;
                Ok(value)
            }
            Ok(Err(payload)) => {
                let _ = runner.join();
                let message = panic_text(payload.as_ref());
                if message.starts_with("not yet implemented") {
                    Err(self.not_done())
                } else {
                    Err(self.fail(
                        format!("{what} panicked: {message}"),
                        "read the panic above; a check never panics on a correct answer",
                    ))
                }
            }
            Err(_) => Err(self.fail(
                format!(
                    "{what} made no progress for {} s: it is stuck (a deadlock, or a thread \
                     waiting for something nobody sends)",
                    limit.as_secs_f64()
                ),
                "find the thread that waits; ask who would wake it, and whether that one \
                 is itself waiting",
            )),
        }
    }

    /// The message for a stub whose `todo!()` is still there.
    pub fn not_done(&self) -> String {
        format!(
            "exercise {} is not done yet: `todo!()` still runs — write your answer in {}",
            self.id, self.file
        )
    }
}

/// Runs `f` on this thread and returns a panic's message as `Err`, so a check
/// can say what that panic means for the exercise. `todo!()`'s panic goes on
/// up instead, for [`Exercise::run`] to report the exercise as not done yet.
pub fn catching<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(unless_todo)
}

/// The message of a caught panic (a thread's join error, say) — except
/// `todo!()`'s, which goes on up as in [`catching`].
pub fn unless_todo(payload: Box<dyn std::any::Any + Send>) -> String {
    let message = panic_text(payload.as_ref());
    if message.starts_with("not yet implemented") {
        std::panic::resume_unwind(payload);
    }
    message
}

/// Text of a panic's payload (`&str` or `String`), or a placeholder.
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_owned()
    }
}

/// Ends an exercise's test: passes on `Ok`, fails with the check's message on
/// `Err` — never a bare `assertion failed`.
///
/// # Panics
///
/// With the message, if `result` is an error.
#[track_caller]
pub fn verdict(result: Result<(), String>) {
    if let Err(message) = result {
        panic!("{message}");
    }
}

/// Proves a check rejects a catalogued mistake: `result` must be an error
/// whose message contains `expected`.
///
/// # Panics
///
/// If the check passed the mistake, or rejected it for another reason.
#[track_caller]
pub fn rejected(result: Result<(), String>, expected: &str) {
    match result {
        Ok(()) => panic!("the check passed a catalogued mistake; it must say: {expected}"),
        Err(message) => assert!(
            message.contains(expected),
            "the check rejected the mistake, but its message lacks {expected:?}:\n{message}"
        ),
    }
}

/// Polls `done` every millisecond until it holds (`true`) or `limit` has
/// passed (`false`): for a check that waits for the learner's threads to get
/// somewhere, with a limit that only a stuck answer reaches.
pub fn wait_until(limit: Duration, done: impl Fn() -> bool) -> bool {
    let started = Instant::now();
    while !done() {
        if started.elapsed() >= limit {
            return false;
        }
        thread::sleep(Duration::from_millis(1));
    }
    true
}

/// Makes overlap observable without timing it.
///
/// Each call to [`hold`](Self::hold) counts as in flight and stays so until
/// `target` calls are in flight at once, or until `window` has passed since
/// the first call; after either, calls go straight through. So code that can
/// run `target` calls at once always shows it, whatever the machine's speed,
/// and code that cannot shows its true limit once the window ends.
///
/// To check "at most `n` at once", use `target = n + 1`: a correct answer
/// shows a peak of exactly `n`; one that runs more shows `n + 1`.
#[derive(Debug)]
pub struct OverlapProbe {
    gauge: InFlight,
    target: usize,
    window: Duration,
    first: OnceLock<Instant>,
    reached: AtomicBool,
}

impl OverlapProbe {
    /// A probe that holds calls until `target` are in flight at once, or for
    /// `window` from the first call.
    pub fn new(target: usize, window: Duration) -> Self {
        Self {
            gauge: InFlight::new(),
            target,
            window,
            first: OnceLock::new(),
            reached: AtomicBool::new(false),
        }
    }

    /// Counts this call as in flight and holds it as described above; call it
    /// at the start of the unit of work whose overlap is checked.
    pub fn hold(&self) {
        let first = *self.first.get_or_init(Instant::now);
        let _in_flight = self.gauge.enter();
        while !self.reached.load(Ordering::SeqCst) {
            if self.gauge.current() >= self.target {
                self.reached.store(true, Ordering::SeqCst);
            } else if first.elapsed() >= self.window {
                break;
            } else {
                thread::sleep(Duration::from_millis(1));
            }
        }
    }

    /// The most calls that were in flight at once.
    pub fn peak(&self) -> usize {
        self.gauge.peak()
    }

    /// Calls in flight right now (0 once every call has returned).
    pub fn current(&self) -> usize {
        self.gauge.current()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EX: Exercise = Exercise::new("0.1", "exercises/1_example.rs");

    #[test]
    #[allow(clippy::todo)]
    fn a_todo_panic_says_the_exercise_is_not_done() {
        let message = EX
            .run("your code", Duration::from_secs(5), || -> u32 { todo!() })
            .expect_err("todo!() panics");
        assert!(
            message.contains("exercise 0.1 is not done yet"),
            "{message}"
        );
        assert!(message.contains("exercises/1_example.rs"), "{message}");
    }

    #[test]
    fn other_panics_are_quoted_and_values_returned() {
        let message = EX
            .run("your code", Duration::from_secs(5), || -> u32 {
                panic!("cell (1, 2) failed")
            })
            .expect_err("it panics");
        assert!(
            message.contains("your code panicked: cell (1, 2) failed"),
            "{message}"
        );
        assert_eq!(EX.run("your code", Duration::from_secs(5), || 7), Ok(7));
    }

    #[test]
    #[allow(clippy::todo)]
    fn catching_returns_panics_but_lets_todo_through() {
        assert_eq!(catching(|| 3), Ok(3));
        assert_eq!(
            catching(|| -> u8 { panic!("cell (0, 1)") }),
            Err("cell (0, 1)".to_owned())
        );
        let todo = std::panic::catch_unwind(|| catching(|| -> u8 { todo!() }));
        assert!(todo.is_err(), "todo!() goes on up");
    }

    #[test]
    fn a_stuck_call_is_reported_not_waited_for() {
        let (_keep, never) = mpsc::channel::<()>();
        let message = EX
            .run("your worker", Duration::from_millis(50), move || {
                never.recv()
            })
            .expect_err("nobody sends");
        assert!(
            message.contains("your worker made no progress"),
            "{message}"
        );
    }

    #[test]
    fn a_probe_shows_the_overlap_that_code_allows() {
        // Four threads at once reach a target of four at once.
        let probe = OverlapProbe::new(4, Duration::from_secs(30));
        thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| probe.hold());
            }
        });
        assert!(probe.peak() >= 4);
        // One call at a time never does; the window lets it finish.
        let probe = OverlapProbe::new(2, Duration::from_millis(20));
        for _ in 0..3 {
            probe.hold();
        }
        assert_eq!((probe.peak(), probe.current()), (1, 0));
    }

    #[test]
    fn verdicts_carry_the_message() {
        rejected(Err(EX.fail("ran 7 at once", "bound it")), "ran 7 at once");
        verdict(EX.ensure(true, || unreachable!(), "no hint needed"));
        let failed = std::panic::catch_unwind(|| rejected(Ok(()), "anything"));
        assert!(failed.is_err());
    }
}
