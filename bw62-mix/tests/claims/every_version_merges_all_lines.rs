//! Every version merges every line exactly once, in each file's order —
//! on the book's scenario, on a stress burst, and on edge cases.

use std::time::Duration;

use bw62_mix::{Shutdown, Version, Workload, run_merge, verify};

/// Runs `version` on `workload` in a fresh temp dir and checks the output.
fn merge_and_verify(version: Version, workload: &Workload, interval: Duration) {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = run_merge(
        version,
        workload,
        interval,
        Shutdown::AfterWriters,
        dir.path(),
    )
    .unwrap_or_else(|e| panic!("{version} failed: {e}"));
    let verified = verify(&run.inputs, &run.output)
        .unwrap_or_else(|e| panic!("{version} output is wrong: {e}"));
    assert_eq!(verified.files, workload.files, "{version}");
    assert_eq!(verified.lines, workload.total_lines(), "{version}");
    assert_eq!(
        run.lines,
        workload.total_lines() as u64,
        "{version}: lines reported"
    );
}

#[test]
fn the_books_scenario_merges_completely_in_every_version() {
    // The book's shape (5 files x 10 lines at random intervals), with shorter
    // pauses to keep the test quick.
    let workload = Workload {
        max_delay: Duration::from_millis(5),
        ..Workload::BOOK
    };
    for version in Version::ALL {
        merge_and_verify(version, &workload, Duration::from_millis(2));
    }
}

#[test]
fn a_burst_up_to_shutdown_loses_nothing_in_every_version() {
    // 50 files x 1,000 lines written with no pause at all, so lines are still
    // being written when the tailers are idle-polling and the last ones land
    // just before the stop signal: only the final drain can pick them up.
    let workload = Workload {
        files: 50,
        lines: 1_000,
        max_delay: Duration::ZERO,
        seed: 7,
    };
    for version in Version::ALL {
        merge_and_verify(version, &workload, Duration::from_millis(1));
    }
}

#[test]
fn a_long_poll_interval_leaves_the_work_to_the_drain() {
    // With a 50 ms poll the writers usually finish while every tailer sleeps;
    // the signal wakes them and the drain reads nearly everything.
    let workload = Workload {
        files: 8,
        lines: 500,
        max_delay: Duration::ZERO,
        seed: 8,
    };
    for version in Version::ALL {
        merge_and_verify(version, &workload, Duration::from_millis(50));
    }
}

#[test]
fn empty_files_and_a_single_file_work() {
    let empty = Workload {
        files: 3,
        lines: 0,
        max_delay: Duration::ZERO,
        seed: 1,
    };
    let single = Workload {
        files: 1,
        lines: 200,
        max_delay: Duration::ZERO,
        seed: 2,
    };
    for version in Version::ALL {
        merge_and_verify(version, &empty, Duration::from_millis(1));
        merge_and_verify(version, &single, Duration::from_millis(1));
    }
}

#[test]
#[ignore = "heavy: 200 files x 5,000 lines per version; run with --ignored"]
fn a_heavy_burst_loses_nothing_in_every_version() {
    let workload = Workload {
        files: 200,
        lines: 5_000,
        max_delay: Duration::ZERO,
        seed: 62,
    };
    for version in Version::ALL {
        merge_and_verify(version, &workload, Duration::from_millis(1));
    }
}
