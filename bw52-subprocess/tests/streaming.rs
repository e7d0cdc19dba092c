//! Streaming through a child's stdin and stdout without deadlock.

// Child processes, signals and zombies: Unix only, like the whole lesson.
#![cfg(unix)]

use std::process::Command;
use std::time::Duration;

use bw52_subprocess::{NaiveOutcome, RunError, pipe_through, sample_data, write_then_read};

const EIGHT_MIB: usize = 8 << 20;

#[test]
fn eight_mib_round_trip_through_cat() {
    let data = sample_data(EIGHT_MIB, 8);
    let echoed = pipe_through(&mut Command::new("cat"), &data).expect("cat succeeds");
    assert_eq!(echoed.len(), data.len());
    assert!(echoed == data, "cat changed the data");
}

#[test]
fn large_input_and_large_output_at_once() {
    // `sh` writes 8 MiB to stdout *and* a line to stderr while we stream
    // into it: three pipes in flight, none may stall the others.
    let data = sample_data(EIGHT_MIB, 9);
    let echoed = pipe_through(
        Command::new("sh").args(["-c", "echo starting >&2; cat; echo done >&2"]),
        &data,
    )
    .expect("sh succeeds");
    assert!(echoed == data);
}

#[test]
fn writing_everything_first_deadlocks() {
    // The buffers between us and back (two pipes, cat's own buffer) hold a
    // few hundred KiB; 8 MiB cannot fit, so the naive order must get stuck.
    let data = sample_data(EIGHT_MIB, 10);
    let outcome = write_then_read(&mut Command::new("cat"), &data, Duration::from_millis(200))
        .expect("cat starts");
    match outcome {
        NaiveOutcome::Stuck { written } => {
            assert!(written > 0 && written < data.len(), "written {written}");
        }
        NaiveOutcome::Completed(_) => panic!("8 MiB fitted in the pipes?"),
    }
}

#[test]
fn writing_everything_first_works_for_small_input() {
    let data = sample_data(1024, 11);
    let outcome = write_then_read(&mut Command::new("cat"), &data, Duration::from_secs(30))
        .expect("cat succeeds");
    assert_eq!(outcome, NaiveOutcome::Completed(data));
}

#[test]
fn failing_filter_reports_code_and_stderr() {
    let error = pipe_through(
        Command::new("sh").args(["-c", "cat > /dev/null; echo 'bad input' >&2; exit 4"]),
        &sample_data(EIGHT_MIB, 12),
    )
    .expect_err("exit 4");
    assert!(matches!(error, RunError::Failed { .. }), "{error:?}");
    assert_eq!(error.code(), Some(4));
    assert_eq!(error.stderr(), Some("bad input\n"));
}

#[test]
fn child_that_stops_reading_is_not_a_write_error() {
    // `head` exits after 10 bytes; our remaining writes hit a closed pipe.
    let data = sample_data(EIGHT_MIB, 13);
    let head = pipe_through(Command::new("head").args(["-c", "10"]), &data).expect("head succeeds");
    assert_eq!(head, &data[..10]);
}
