//! The I/O half: blocking calls made from threads are in the kernel at the
//! same time, while the main thread keeps working. Observed by
//! instrumentation (an in-flight gauge) and ordered by a barrier or by the
//! socket itself — never by the clock.

use std::io::{ErrorKind, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Barrier;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bw53_thread_io::{
    Readiness, compute_helicopter_location, connected_pair, run_serial, run_threaded,
    slow_systemcall, wait_for_data,
};
use course_support::InFlight;

const CALLS: usize = 5;
const TIMEOUT: Duration = Duration::from_millis(100);
/// A wait that should end long before this only times out if something is
/// broken; it keeps a failing test from hanging.
const SAFETY_TIMEOUT: Duration = Duration::from_secs(30);

#[test]
fn five_calls_are_in_flight_at_once() {
    let gauge = InFlight::new();
    // No call may start its system call until all five are in flight: if the
    // runner made them one at a time, the first would wait here forever.
    let all_in_flight = Barrier::new(CALLS);
    let run = run_threaded(
        CALLS,
        |_| {
            let _in_flight = gauge.enter();
            all_in_flight.wait();
            slow_systemcall(TIMEOUT)
        },
        |index| {
            let _ = compute_helicopter_location(index);
        },
    )
    .expect("five threads start");
    assert_eq!(gauge.peak(), CALLS);
    assert_eq!(gauge.current(), 0, "every call has ended");
    assert_eq!(run.results.len(), CALLS);
    for blocked in run.results {
        let blocked = blocked.expect("the socket never gets data, so the call times out");
        // A lower bound only: the kernel never ends the wait early.
        assert!(blocked >= TIMEOUT, "blocked {blocked:?}");
    }
}

#[test]
fn serial_calls_never_overlap() {
    let gauge = InFlight::new();
    let results = run_serial(CALLS, |_| {
        let _in_flight = gauge.enter();
        slow_systemcall(Duration::from_millis(1))
    });
    assert_eq!(gauge.peak(), 1);
    assert!(results.iter().all(Result::is_ok), "{results:?}");
}

#[test]
fn all_five_block_in_the_kernel_until_the_main_thread_releases_them() {
    // Every call waits on the same socket, whose peer the main thread writes
    // to only once it has seen all five calls in flight. The calls can end
    // only through that byte (or the safety timeout, which fails the test),
    // so the five waits overlapped, and the main thread was computing while
    // they did.
    let (reader, mut writer) = connected_pair().expect("a loopback connection");
    let gauge = InFlight::new();
    let mut released_after = None;
    let run = run_threaded(
        CALLS,
        |_| {
            let _in_flight = gauge.enter();
            wait_for_data(&reader, SAFETY_TIMEOUT)
        },
        |index| {
            let _ = compute_helicopter_location(index);
            if released_after.is_none() && gauge.current() == CALLS {
                // One byte wakes every waiter: each only peeks, so the byte
                // stays and the socket is readable for all of them.
                writer.write_all(b"!").expect("the connection is open");
                released_after = Some(index + 1);
            }
        },
    )
    .expect("five threads start");
    for readiness in &run.results {
        assert_eq!(readiness.as_ref().ok(), Some(&Readiness::Ready));
    }
    assert_eq!(gauge.peak(), CALLS);
    let released_after = released_after.expect("the main thread saw all five calls in flight");
    assert!(run.main_iterations >= released_after);
}

#[test]
fn silent_connection_times_out() {
    let (reader, _writer) = connected_pair().expect("a loopback connection");
    assert_eq!(
        wait_for_data(&reader, Duration::from_millis(10)).expect("receive"),
        Readiness::TimedOut,
        "a connection whose peer is open and silent is not readable"
    );
}

#[test]
fn connection_wakes_a_waiter_on_data_and_on_end_of_file() {
    let (reader, mut writer) = connected_pair().expect("a loopback connection");
    writer.write_all(b"x").expect("write");
    assert_eq!(
        wait_for_data(&reader, SAFETY_TIMEOUT).expect("receive"),
        Readiness::Ready
    );
    // Peeking took nothing: the byte is still there for the next wait.
    assert_eq!(
        wait_for_data(&reader, SAFETY_TIMEOUT).expect("receive"),
        Readiness::Ready
    );

    let (reader, writer) = connected_pair().expect("a loopback connection");
    // Closing the peer is what `slow_systemcall` must not do early: the
    // socket then reports end-of-file, which counts as readable.
    drop(writer);
    assert_eq!(
        wait_for_data(&reader, SAFETY_TIMEOUT).expect("receive"),
        Readiness::Ready
    );
}

#[test]
fn zero_timeout_is_rejected_by_name() {
    let (reader, _writer) = connected_pair().expect("a loopback connection");
    let err = wait_for_data(&reader, Duration::ZERO).expect_err("zero would mean forever");
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.to_string().contains("zero timeout"), "{err}");
    assert_eq!(
        slow_systemcall(Duration::ZERO).map_err(|e| e.kind()).err(),
        Some(ErrorKind::InvalidInput)
    );
}

#[test]
fn a_panicking_call_reaches_the_caller_after_every_call_ends() {
    let finished = AtomicUsize::new(0);
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        run_threaded(
            CALLS,
            |index| {
                if index == 2 {
                    panic!("call {index} failed");
                }
                slow_systemcall(Duration::from_millis(1)).expect("times out");
                finished.fetch_add(1, Ordering::SeqCst);
            },
            |_| {},
        )
    }));
    let payload = outcome.expect_err("the call's panic is passed on");
    assert_eq!(
        payload.downcast_ref::<String>().map(String::as_str),
        Some("call 2 failed")
    );
    // The scope joined every thread before the panic left it.
    assert_eq!(finished.load(Ordering::SeqCst), CALLS - 1);
}

#[test]
fn zero_calls_return_at_once() {
    let run =
        run_threaded(0, |_| (), |_| unreachable!("no call to wait for")).expect("nothing to start");
    assert!(run.results.is_empty());
    assert_eq!(run.main_iterations, 0);
}
