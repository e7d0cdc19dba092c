//! When the operating system refuses a thread, the caller gets an error
//! naming the cell — never a panic — and no started thread is left running.

use std::io::ErrorKind;
use std::sync::Arc;

use bw56_life::{CellIo, Grid, Strategy};
use bw57_fanout::start_failure::{self, CHILD_THREAD_LIMIT, StartFailure};
use bw57_fanout::{CellThreads, Scoped, ThreadPerCell, thread_start_failure};
use course_support::InFlight;

/// A stack larger than the whole address space a process can map (4 PiB):
/// `pthread_create` cannot map it and fails with EAGAIN, on every machine,
/// without touching any memory.
const IMPOSSIBLE_STACK: usize = 1 << 52;

#[test]
fn an_impossible_stack_is_an_error_not_a_panic() {
    let grid = Grid::soup(3, 3, 1);
    let gauge = Arc::new(InFlight::new());
    let threads = CellThreads::new()
        .with_stack_size(IMPOSSIBLE_STACK)
        .with_gauge(Arc::clone(&gauge));
    let strategies: [Box<dyn Strategy>; 2] = [
        Box::new(ThreadPerCell::new(threads.clone())),
        Box::new(Scoped::new(threads)),
    ];
    for mut strategy in strategies {
        let error = strategy
            .step(&grid, &CellIo::none())
            .expect_err("no thread can have a 4 PiB stack");
        assert_eq!((error.y, error.x), (0, 0), "{}", strategy.name());
        let refused = thread_start_failure(&error).expect("a refused thread, not a cell failure");
        assert_eq!(refused.started, 0);
        // Unix refuses the stack with EAGAIN; Windows reports a reservation
        // it cannot make with an error code of its own.
        if cfg!(unix) {
            assert_eq!(
                refused.source.kind(),
                ErrorKind::WouldBlock,
                "EAGAIN: {}",
                refused.source
            );
            assert_eq!(
                error.io_error().map(std::io::Error::kind),
                Some(ErrorKind::WouldBlock),
                "the outer error keeps the kernel's kind"
            );
        }
        assert_eq!(gauge.peak(), 0, "no cell thread ever ran");
    }
}

#[cfg_attr(
    not(target_os = "linux"),
    ignore = "only Linux's RLIMIT_NPROC counts threads (see bw57_fanout::platform)"
)]
#[test]
fn a_refused_thread_partway_is_reported_and_the_rest_joined() {
    // The demo binary, started as the child of the experiment, lowers its own
    // RLIMIT_NPROC and fans out 100 cells with each strategy.
    let exe = std::path::Path::new(env!("CARGO_BIN_EXE_bw57-fanout"));
    let reports = start_failure::provoke_in_child(exe).expect("the child reports");
    let names: Vec<&str> = reports.iter().map(|r| r.strategy.as_str()).collect();
    assert_eq!(names, ["thread-per-cell", "scoped"]);
    for report in &reports {
        assert_eq!(report.cells, 100, "{report}");
        assert!(report.started < report.cells, "{report}");
        if start_failure::limit_is_exact() {
            // The child's own user id has no other tasks: the limit is exact.
            assert!(report.started as u64 <= CHILD_THREAD_LIMIT, "{report}");
        }
        // The refused cell is the next one in row-major order (10 columns).
        assert_eq!(report.y * 10 + report.x, report.started, "{report}");
        assert_eq!(report.left_running, 0, "{report}");
        assert!(report.message.contains("os error 11"), "EAGAIN: {report}");
    }
}

#[test]
fn start_failure_lines_round_trip() {
    let report = StartFailure {
        strategy: "scoped".to_owned(),
        y: 1,
        x: 5,
        started: 15,
        cells: 100,
        left_running: 0,
        message: "simulating cell (y=1, x=5) failed: it=has=equals signs".to_owned(),
    };
    let parsed: StartFailure = report.to_string().parse().expect("parses");
    assert_eq!(parsed, report);
    assert!("start-failure y=1".parse::<StartFailure>().is_err());
}
