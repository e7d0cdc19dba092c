//! The shared protocol code on its own, without sockets: what both
//! transports rely on.

use bw61_port_asyncio::client::Judge;
use bw61_port_asyncio::port_size::{self, SHARED_SOURCES};
use bw61_port_asyncio::protocol::{BOUND_LIMIT, Command, Decision, ProtocolError};
use bw61_port_asyncio::session::Session;
use proptest::prelude::*;

proptest! {
    /// A session guesses every number of its range exactly once, then
    /// reports the range exhausted instead of looping.
    #[test]
    fn guesses_cover_the_range_once_then_stop(lower in -50i64..50, width in 1i64..40, seed: u64) {
        let upper = lower + width - 1;
        let mut session = Session::new(seed);
        session.set_params(lower, upper);
        let mut guesses: Vec<i64> = (0..width).map(|_| session.send_number().expect("numbers left")).collect();
        guesses.sort_unstable();
        prop_assert_eq!(guesses, (lower..=upper).collect::<Vec<_>>());
        prop_assert_eq!(session.send_number(), Err(ProtocolError::Exhausted { lower, upper }));
    }

    /// Once a guess is reported Correct it is the answer to every NUMBER.
    #[test]
    fn a_correct_guess_becomes_the_secret(lower in -1000i64..1000, width in 1i64..1000, seed: u64, tries in 1usize..5) {
        let mut session = Session::new(seed);
        session.set_params(lower, lower + width - 1);
        let guess = session.send_number().expect("a range");
        session.receive_report(Decision::Correct).expect("a guess was made");
        for _ in 0..tries {
            prop_assert_eq!(session.send_number(), Ok(guess));
        }
    }

    /// Every command prints as a line that parses back to it.
    #[test]
    fn commands_round_trip(lower in -BOUND_LIMIT..=BOUND_LIMIT, upper in -BOUND_LIMIT..=BOUND_LIMIT, d in 0usize..4) {
        for command in [Command::Params { lower, upper }, Command::Number, Command::Report(Decision::ALL[d])] {
            prop_assert_eq!(Command::parse(&command.to_string()), Ok(command));
        }
    }

    /// The judge says Correct exactly at the secret, and otherwise compares
    /// distances with the previous guess.
    #[test]
    fn the_judge_compares_distances(secret in -100i64..100, guesses in proptest::collection::vec(-100i64..100, 1..8)) {
        let mut judge = Judge::new(secret);
        let mut last: Option<u64> = None;
        for guess in guesses {
            let distance = guess.abs_diff(secret);
            let expected = match last {
                _ if distance == 0 => Decision::Correct,
                Some(l) if distance < l => Decision::Warmer,
                Some(l) if distance > l => Decision::Colder,
                _ => Decision::Unsure,
            };
            prop_assert_eq!(judge.judge(guess), expected);
            last = Some(distance);
        }
    }
}

#[test]
fn the_empty_range_is_a_valid_reset() {
    let mut session = Session::new(0);
    session.set_params(1, 5);
    assert!(session.in_progress());
    assert!(Command::parse("PARAMS 0 -1").is_ok());
    session.set_params(0, -1);
    assert!(!session.in_progress());
    assert_eq!(
        session.send_number(),
        Err(ProtocolError::EmptyRange {
            lower: 0,
            upper: -1
        })
    );
}

/// The shared modules do no I/O of their own: no sockets, no tokio, no
/// threads. That is what let the port leave them untouched.
#[test]
fn shared_modules_do_no_io() {
    const FORBIDDEN: [&str; 7] = [
        "std::net",
        "tokio",
        "TcpStream",
        "io::Read",
        "io::Write",
        "thread::",
        ".await",
    ];
    for (name, source) in SHARED_SOURCES {
        for line in port_size::code_lines(source) {
            for word in FORBIDDEN {
                assert!(!line.contains(word), "{name} does I/O: {line:?}");
            }
        }
    }
}

/// The port kept most of the transport code and changed a minority in kind.
#[test]
fn the_port_changed_a_minority_of_the_transport() {
    let size = port_size::measure();
    assert!(
        size.identical <= size.same_but_await && size.same_but_await <= size.ported,
        "{size:?}"
    );
    assert!(size.changed_in_kind() * 3 < size.ported, "{size:?}");
    assert!(
        size.shared > size.threaded,
        "the shared logic is the larger part: {size:?}"
    );
}

/// The port's size is quoted in the crate docs and the README; those figures
/// must be the ones measured on the current source.
#[test]
fn documented_port_size_is_the_measured_one() {
    let size = port_size::measure();
    // Ignore line breaks and the `//!` and `>` that start doc and quote lines.
    let flat = |text: &str| {
        text.replace("//!", " ")
            .split_whitespace()
            .filter(|word| *word != ">")
            .collect::<Vec<_>>()
            .join(" ")
    };
    let lib = flat(include_str!("../../src/lib.rs"));
    let readme = flat(include_str!("../../README.md"));
    let (threaded, identical, only_await, shared) = (
        size.threaded,
        size.identical,
        size.same_but_await - size.identical,
        size.shared,
    );
    let expected = [
        (
            &lib,
            format!(
                "of the {threaded} code lines of the threaded transport, {identical} survive unchanged and {only_await} more gain only"
            ),
        ),
        (
            &lib,
            format!("while the {shared} lines of shared logic do not change"),
        ),
        (
            &readme,
            format!(
                "of the {threaded} code lines of `threaded.rs`, {identical} are unchanged and {only_await} differ only by"
            ),
        ),
        (
            &readme,
            format!("not one of the {shared} lines of shared logic changed"),
        ),
        (
            &readme,
            format!("코드 {threaded}줄 중 {identical}줄은 그대로이고 {only_await}줄은"),
        ),
        (&readme, format!("공유 로직 {shared}줄은")),
    ];
    for (text, phrase) in expected {
        assert!(
            text.contains(&phrase),
            "the docs should say {phrase:?} (measured: {size:?})"
        );
    }
}
