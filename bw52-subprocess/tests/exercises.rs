//! The checks of this lesson's exercises.
//!
//! By default they run against the reference answers in `solutions/`, so
//! `cargo test --workspace` proves the checks pass on a right answer; with
//! `--features exercises` they run against your files in `exercises/`:
//!
//! ```text
//! cargo test -p bw52-subprocess --features exercises --test exercises
//! ```
//!
//! The children are real processes, and the checks look at them the way the
//! kernel does: which ones are alive at once (each child leaves a marker
//! named by its pid, then waits until the check lets it go), and whether each
//! one is gone, still running, or a zombie once your code has returned
//! (the lesson's [`child_state`]). Nothing is timed; the limits only end a
//! stuck answer.
//!
//! Each catalogued mistake in `tests/mistakes/` must be rejected by its
//! exercise's check, with the words a learner would need; the `mistake_*`
//! tests prove it (without the feature only).

// Child processes, signals and zombies: Unix only, like the whole lesson.
#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::thread;
use std::time::Duration;

use bw52_subprocess::zombie::reap;
use bw52_subprocess::{ChildState, child_state};
use course_support::exercise::{Exercise, verdict, wait_until};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

#[cfg_attr(
    feature = "exercises",
    path = "../exercises/1_start_all.rs",
    allow(clippy::todo, unused_variables)
)]
#[cfg_attr(not(feature = "exercises"), path = "../solutions/1_start_all.rs")]
#[allow(unreachable_pub)]
mod start_all;

#[cfg_attr(
    feature = "exercises",
    path = "../exercises/2_deadline.rs",
    allow(clippy::todo, unused_variables, dead_code)
)]
#[cfg_attr(not(feature = "exercises"), path = "../solutions/2_deadline.rs")]
#[allow(unreachable_pub)]
mod deadline;

#[cfg_attr(
    feature = "exercises",
    path = "../exercises/3_bounded.rs",
    allow(clippy::todo, unused_variables)
)]
#[cfg_attr(not(feature = "exercises"), path = "../solutions/3_bounded.rs")]
#[allow(unreachable_pub)]
mod bounded;

use deadline::Ending;

/// Long enough for any of these runs on a busy machine; only a stuck answer
/// reaches it.
const STUCK: Duration = Duration::from_secs(10);

/// A pid as `nix` takes it.
fn pid_of(id: u32) -> Pid {
    Pid::from_raw(i32::try_from(id).expect("process ids fit in pid_t"))
}

/// `None` if child `pid` has been reaped; otherwise how it was left. A child
/// that was just killed is given a moment to become a zombie, so that the
/// message says which it is.
fn left_behind(pid: Pid) -> Option<&'static str> {
    let state = || child_state(pid).expect("the process table can be read");
    match state() {
        ChildState::Gone => None,
        ChildState::Zombie => Some("a zombie: it ended, but nobody waited for it"),
        ChildState::Running => {
            if wait_until(Duration::from_millis(500), || {
                state() != ChildState::Running
            }) {
                left_behind(pid)
            } else {
                Some("still running")
            }
        }
    }
}

/// Kills and reaps child `pid` if it is still ours, so that a wrong answer
/// leaves nothing behind in the test process either. (If the answer is still
/// waiting for it, one of the two waits reaps it and the other is refused.)
fn clean_up(pid: Pid) {
    if child_state(pid).is_ok_and(|state| state != ChildState::Gone) {
        let _ = kill(pid, Signal::SIGKILL);
        let _ = reap(pid);
    }
}

/// How many children [`check_start_all`] starts.
const CHILDREN: usize = 6;

/// How long the held children wait for all of them to be alive before the
/// check lets them go anyway. A right answer never waits it out.
const WINDOW: Duration = Duration::from_secs(2);

/// A child that leaves the marker `started.<its pid>` in `dir`, stays alive
/// until the file `go` exists there, then exits with `code`. While `go` is
/// missing no child can end, so the markers count the children alive at
/// once. It gives up (exit 99) after about 30 s, so that nothing outlives a
/// broken run for long.
fn held_child(dir: &Path, code: usize) -> Command {
    let script = r#"
        : > "$1/started.$$"
        n=0
        while [ ! -e "$1/go" ]; do
            n=$((n + 1))
            if [ "$n" -gt 3000 ]; then exit 99; fi
            sleep 0.01
        done
        exit "$2"
    "#;
    let mut command = Command::new("sh");
    command
        .args(["-c", script, "sh"])
        .arg(dir)
        .arg(code.to_string());
    command
}

/// The pids of the held children that have started, from their markers.
fn started(dir: &Path) -> Vec<Pid> {
    std::fs::read_dir(dir)
        .expect("the check's directory exists")
        .filter_map(|entry| {
            let name = entry.ok()?.file_name();
            let pid = name.to_str()?.strip_prefix("started.")?.parse().ok()?;
            Some(Pid::from_raw(pid))
        })
        .collect()
}

/// Lets every held child in `dir` end.
fn let_go(dir: &Path) {
    std::fs::write(dir.join("go"), b"").expect("the check's directory is writable");
}

/// Runs `answer` (named `what` in messages) on `children` held children and
/// lets them go as soon as `target` are alive at once, or after `window`, or
/// once the answer has returned. Then requires every child to have run once
/// and been reaped, and the statuses to come back in order. Returns how many
/// children were alive at once before they were let go.
fn run_held(
    ex: Exercise,
    what: &'static str,
    answer: impl FnOnce(Vec<Command>) -> std::io::Result<Vec<ExitStatus>> + Send + 'static,
    children: usize,
    (target, window): (usize, Duration),
) -> Result<usize, String> {
    let dir = tempfile::tempdir().map_err(|e| ex.fail(e, "a temporary directory is needed"))?;
    let path: PathBuf = dir.path().to_owned();
    let commands = (0..children).map(|i| held_child(&path, 10 + i)).collect();

    // No child can end before `let_go`, so until then the markers count the
    // children alive, and the count only grows: the last count is the peak.
    let answered = Arc::new(AtomicBool::new(false));
    let releaser = {
        let (path, answered) = (path.clone(), Arc::clone(&answered));
        thread::spawn(move || {
            wait_until(window, || {
                answered.load(SeqCst) || started(&path).len() >= target
            });
            let alive = started(&path).len();
            let_go(&path);
            alive
        })
    };
    let statuses = ex.run(what, STUCK, move || answer(commands));
    answered.store(true, SeqCst);
    let peak = releaser.join().expect("the releaser does not panic");
    let statuses = statuses?.map_err(|e| {
        ex.fail(
            format!("{what} returned an error: {e}"),
            "every command here can be started",
        )
    })?;

    let pids = started(&path);
    for &pid in &pids {
        if let Some(how) = left_behind(pid) {
            clean_up(pid);
            return Err(ex.fail(
                format!("child {pid} was not reaped when {what} returned: it is {how}"),
                "wait for every child you started: `Child::wait` reaps it",
            ));
        }
    }
    ex.ensure(
        pids.len() == children && statuses.len() == children,
        || {
            format!(
                "{} children were started and {} statuses returned for {children} commands",
                pids.len(),
                statuses.len()
            )
        },
        "start each command once and return one status per child",
    )?;
    let codes: Vec<Option<i32>> = statuses.iter().map(ExitStatus::code).collect();
    let expected: Vec<Option<i32>> = (10..).take(children).map(Some).collect();
    ex.ensure(
        codes == expected,
        || format!("the children's exit codes came back as {codes:?}; expected {expected:?}"),
        "return the statuses in the order of the commands",
    )?;
    Ok(peak)
}

const EX_52_1: Exercise = Exercise::new("52.1", "bw52-subprocess/exercises/1_start_all.rs");

/// Exercise 52.1's check: six held children, let go once all six are alive.
fn check_start_all(
    run_all: fn(Vec<Command>) -> std::io::Result<Vec<ExitStatus>>,
) -> Result<(), String> {
    let ex = EX_52_1;
    let peak = run_held(ex, "run_all", run_all, CHILDREN, (CHILDREN, WINDOW))?;
    ex.ensure(
        peak == CHILDREN,
        || {
            format!(
                "at most {peak} of the {CHILDREN} children were alive at once; started before \
                 any is waited for, all {CHILDREN} run together"
            )
        },
        "spawn every child first and keep the `Child` handles in a `Vec`, then wait; a lazy \
         chain `map(spawn).map(wait)` waits for each child before spawning the next",
    )
}

#[test]
fn exercise_52_1_start_all() {
    verdict(check_start_all(start_all::run_all));
}

const EX_52_2: Exercise = Exercise::new("52.2", "bw52-subprocess/exercises/2_deadline.rs");

/// Ample for each case below (a right answer needs at most timeout + grace,
/// under half a second), and short enough that an answer blocked in `wait`
/// is reported soon.
const DEADLINE_STUCK: Duration = Duration::from_secs(5);

/// The learner's `wait_with_deadline`.
type WaitWithDeadline = fn(Child, Duration, Duration) -> std::io::Result<Ending>;

/// One case of [`check_deadline`]: runs the answer on `child` (described as
/// `what`), then requires the child to be reaped and the ending to be
/// `expected`.
fn deadline_case(
    wait_with_deadline: WaitWithDeadline,
    what: &str,
    child: Child,
    (timeout, grace): (Duration, Duration),
    expected: impl Fn(&Ending) -> bool,
    wrong_ending_hint: &str,
) -> Result<(), String> {
    let ex = EX_52_2;
    let pid = pid_of(child.id());
    let outcome = ex.run(
        &format!("wait_with_deadline, on {what},"),
        DEADLINE_STUCK,
        move || wait_with_deadline(child, timeout, grace),
    );
    let leftover = left_behind(pid);
    clean_up(pid);
    let outcome = outcome.map_err(|message| {
        if message.contains("made no progress") {
            // The watchdog's words are general; here the cause is known.
            ex.fail(
                format!(
                    "wait_with_deadline, on {what}, had not returned after {} s: it is \
                     blocked waiting for a child that will not end by itself",
                    DEADLINE_STUCK.as_secs()
                ),
                "`Child::wait` has no timeout, and a child may ignore SIGTERM: after SIGTERM \
                 wait at most `grace` (`try_wait` with short sleeps), then SIGKILL",
            )
        } else {
            message
        }
    });
    let ending = outcome?.map_err(|e| {
        ex.fail(
            format!("wait_with_deadline returned an error for {what}: {e}"),
            "nothing here should fail",
        )
    })?;
    if let Some(how) = leftover {
        return Err(ex.fail(
            format!("{what} was not reaped when wait_with_deadline returned: it is {how}"),
            "`Child::kill` only sends SIGKILL; `Child::wait` after it (or a `try_wait` that \
             returns `Some`) reaps the child",
        ));
    }
    ex.ensure(
        expected(&ending),
        || format!("{what} ended as {ending:?}"),
        wrong_ending_hint,
    )
}

/// Exercise 52.2's check: a quick child, a polite one and a stubborn one.
fn check_deadline(wait_with_deadline: WaitWithDeadline) -> Result<(), String> {
    let ex = EX_52_2;
    let spawn = |command: &mut Command| {
        command
            .stdin(Stdio::null())
            .spawn()
            .map_err(|e| ex.fail(e, "sh and sleep are on every Unix"))
    };

    let quick = spawn(Command::new("sh").args(["-c", "exit 3"]))?;
    deadline_case(
        wait_with_deadline,
        "a child that exits at once with code 3, given a 60 s deadline",
        quick,
        (Duration::from_secs(60), Duration::from_secs(60)),
        |ending| matches!(ending, Ending::Finished(status) if status.code() == Some(3)),
        "a child that ends before the deadline is `Finished` with its own status",
    )?;

    let polite = spawn(Command::new("sleep").arg("30"))?;
    deadline_case(
        wait_with_deadline,
        "`sleep 30` with a 100 ms deadline",
        polite,
        (Duration::from_millis(100), Duration::from_secs(60)),
        |ending| *ending == Ending::Terminated,
        "at the deadline send SIGTERM, then wait up to `grace` with `try_wait`: `sleep` \
         leaves at once, so it is `Terminated`",
    )?;

    // `sh` ignores SIGTERM, says so, then becomes `sleep`, which keeps
    // ignoring it; once "ready" is read, only SIGKILL can end it.
    let mut stubborn = spawn(
        Command::new("sh")
            .args(["-c", "trap '' TERM; echo ready; exec sleep 30"])
            .stdout(Stdio::piped()),
    )?;
    let mut line = String::new();
    let stdout = stubborn.stdout.take().expect("stdout is piped");
    if BufReader::new(stdout).read_line(&mut line).is_err() || line.trim() != "ready" {
        let pid = pid_of(stubborn.id());
        drop(stubborn);
        clean_up(pid);
        return Err(ex.fail(
            format!("the stubborn child said {line:?}, not \"ready\""),
            "this is the check's own child; sh must be able to run",
        ));
    }
    deadline_case(
        wait_with_deadline,
        "a child that ignores SIGTERM, with a 100 ms deadline and 300 ms of grace",
        stubborn,
        (Duration::from_millis(100), Duration::from_millis(300)),
        |ending| *ending == Ending::Killed,
        "after SIGTERM wait at most `grace`, then `Child::kill` (SIGKILL, which cannot be \
         ignored) and wait",
    )
}

#[test]
fn exercise_52_2_deadline() {
    verdict(check_deadline(deadline::wait_with_deadline));
}

const EX_52_3: Exercise = Exercise::new("52.3", "bw52-subprocess/exercises/3_bounded.rs");

/// Exercise 52.3's limit and number of children.
const LIMIT: usize = 3;
const BOUNDED_CHILDREN: usize = 12;

/// How long the held children wait for a fourth to join them. A right
/// answer always waits it out (it never has four), so the window must be
/// long enough for it to start its three: milliseconds, even on a busy
/// machine.
const BOUNDED_WINDOW: Duration = Duration::from_secs(2);

/// Exercise 52.3's check: twelve held children with a limit of 3, let go as
/// soon as 4 are alive at once — which a right answer never allows.
fn check_bounded(
    run_bounded: fn(Vec<Command>, NonZeroUsize) -> std::io::Result<Vec<ExitStatus>>,
) -> Result<(), String> {
    let ex = EX_52_3;
    let limit = NonZeroUsize::new(LIMIT).expect("the limit is not zero");
    let peak = run_held(
        ex,
        "run_bounded",
        move |commands| run_bounded(commands, limit),
        BOUNDED_CHILDREN,
        (LIMIT + 1, BOUNDED_WINDOW),
    )?;
    ex.ensure(
        peak <= LIMIT,
        || {
            format!(
                "{peak} of your children were alive at once; with a limit of {LIMIT}, at most \
                 {LIMIT} may run at once"
            )
        },
        "before each spawn, wait for a running child if `limit` are running; spawning first \
         and waiting after lets `limit + 1` run",
    )?;
    ex.ensure(
        peak == LIMIT,
        || {
            format!(
                "at most {peak} of your children were alive at once; with a limit of {LIMIT}, \
                 {LIMIT} should run together"
            )
        },
        "start children until `limit` are running before waiting for any",
    )
}

#[test]
fn exercise_52_3_bounded() {
    verdict(check_bounded(bounded::run_bounded));
}

/// Wrong answers the checks must reject, each with the words that point to
/// its fix.
#[cfg(not(feature = "exercises"))]
#[allow(unreachable_pub)]
mod mistakes {
    use super::*;
    use course_support::exercise::rejected;

    #[path = "3_checks_after_spawning.rs"]
    mod checks_after_spawning;
    #[path = "2_kills_without_reaping.rs"]
    mod kills_without_reaping;
    #[path = "1_lazy_chain.rs"]
    mod lazy_chain;
    #[path = "2_trusts_sigterm.rs"]
    mod trusts_sigterm;
    #[path = "3_unbounded.rs"]
    mod unbounded;

    #[test]
    fn mistake_52_1_lazy_chain() {
        rejected(
            check_start_all(lazy_chain::run_all),
            "at most 1 of the 6 children were alive at once",
        );
    }

    #[test]
    fn mistake_52_2_trusts_sigterm() {
        rejected(
            check_deadline(trusts_sigterm::wait_with_deadline),
            "on a child that ignores SIGTERM, with a 100 ms deadline and 300 ms of grace, had \
             not returned after 5 s",
        );
    }

    #[test]
    fn mistake_52_2_kills_without_reaping() {
        rejected(
            check_deadline(kills_without_reaping::wait_with_deadline),
            "was not reaped when wait_with_deadline returned: it is a zombie",
        );
    }

    #[test]
    fn mistake_52_3_checks_after_spawning() {
        rejected(
            check_bounded(checks_after_spawning::run_bounded),
            "4 of your children were alive at once; with a limit of 3, at most 3 may run at once",
        );
    }

    #[test]
    fn mistake_52_3_unbounded() {
        rejected(
            check_bounded(unbounded::run_bounded),
            "with a limit of 3, at most 3 may run at once",
        );
    }
}
