//! The stop signal: when it is raised matters, a raised signal ends idle
//! waits at once, and the last unterminated line is kept.

use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use bw62_mix::{Shutdown, Stop, VerifyError, Version, Workload, run_merge, verify};

/// A directory with `files` inputs whose whole content is already written.
fn finished_inputs(contents: &[&[u8]]) -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let paths = contents
        .iter()
        .enumerate()
        .map(|(index, bytes)| {
            let path = dir.path().join(Workload::file_name(index));
            fs::write(&path, bytes).expect("write input");
            path
        })
        .collect();
    (dir, paths)
}

#[test]
fn a_final_unterminated_line_is_kept_and_terminated_in_every_version() {
    let (dir, inputs) = finished_inputs(&[
        b"input-000.log 0 a\ninput-000.log 1 half-writ",
        b"input-001.log 0 b\n",
    ]);
    for version in Version::ALL {
        // The files are complete, so the signal may be raised before the
        // tailers start: they must still drain everything, fragment included.
        let stop = Stop::new();
        stop.raise();
        let output = dir.path().join(format!("merged-{version}.log"));
        let lines = version
            .run(&inputs, &output, Duration::from_millis(1), &stop)
            .unwrap_or_else(|e| panic!("{version}: {e}"));
        assert_eq!(lines, 3, "{version}");
        let merged = fs::read_to_string(&output).expect("output");
        assert!(
            merged.contains("input-000.log 1 half-writ\n"),
            "{version}: fragment kept with a newline added: {merged:?}"
        );
        assert!(merged.ends_with('\n'), "{version}: {merged:?}");
        verify(&inputs, &output).unwrap_or_else(|e| panic!("{version}: {e}"));
    }
}

#[test]
fn stopping_before_the_writers_finish_loses_lines_and_verify_says_which() {
    // The book's mistake made deterministic: the signal is raised before any
    // line is written, the tailers drain empty files and exit, and only then
    // do the writers run.
    let workload = Workload {
        files: 3,
        lines: 20,
        max_delay: Duration::ZERO,
        seed: 3,
    };
    for version in Version::ALL {
        let dir = tempfile::tempdir().expect("temp dir");
        let inputs = workload.create_inputs(dir.path()).expect("inputs");
        let output = dir.path().join("merged.log");
        let stop = Stop::new();
        stop.raise();
        let lines = version
            .run(&inputs, &output, Duration::from_millis(1), &stop)
            .unwrap_or_else(|e| panic!("{version}: {e}"));
        assert_eq!(lines, 0, "{version}: nothing was written yet");
        workload.start_writers(&inputs).join().expect("writers");

        match verify(&inputs, &output) {
            Err(VerifyError::Missing {
                file,
                line,
                found_instead,
                ..
            }) => {
                assert_eq!(file, Workload::file_name(0), "{version}");
                assert_eq!(line, 1, "{version}");
                assert_eq!(found_instead, None, "{version}");
            }
            other => panic!("{version}: expected a missing line, got {other:?}"),
        }
    }
}

#[test]
fn the_books_deadline_shutdown_is_reported_not_hidden() {
    // A deadline of zero stops the tailers at once while the writers are
    // still pausing between lines (at least one pause is non-zero in 20
    // lines): some lines are lost, and verify must say so.
    let workload = Workload {
        files: 2,
        lines: 20,
        max_delay: Duration::from_millis(5),
        seed: 4,
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let run = run_merge(
        Version::Threads,
        &workload,
        Duration::from_millis(1),
        Shutdown::AtDeadline(Duration::ZERO),
        dir.path(),
    )
    .expect("run");
    // The writers are joined by run_merge, so the inputs are complete now.
    let err = verify(&run.inputs, &run.output).expect_err("lines written after the stop are lost");
    assert!(matches!(err, VerifyError::Missing { .. }), "{err}");
    assert!(run.lines < workload.total_lines() as u64);
}

#[test]
fn raising_the_signal_wakes_idle_tailers_at_once() {
    // A 10 s poll interval: a tailer that only noticed the signal at its next
    // poll would take up to 10 s to finish. Raised signals wake waiters, so
    // the drain must take far less (5x margin on a loaded machine).
    let workload = Workload {
        files: 4,
        lines: 50,
        max_delay: Duration::ZERO,
        seed: 5,
    };
    for version in Version::ALL {
        let dir = tempfile::tempdir().expect("temp dir");
        let run = run_merge(
            version,
            &workload,
            Duration::from_secs(10),
            Shutdown::AfterWriters,
            dir.path(),
        )
        .unwrap_or_else(|e| panic!("{version}: {e}"));
        verify(&run.inputs, &run.output).unwrap_or_else(|e| panic!("{version}: {e}"));
        assert!(
            run.drain < Duration::from_secs(2),
            "{version}: drain took {:?}",
            run.drain
        );
    }
}

#[test]
fn lines_appended_after_a_tailer_went_idle_are_still_read() {
    // Order by the file itself, not by sleeping: the writer appends the
    // second line only after the first has reached the output, so the tailer
    // has certainly read to the end once and gone back to polling.
    let (_dir, inputs) = finished_inputs(&[b"input-000.log 0 first\n"]);
    let stop = Stop::new();
    let (seen_tx, seen_rx) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        let tailer = scope.spawn(|| {
            let mut lines = Vec::new();
            let mut write = |line: &[u8]| {
                lines.push(line.to_vec());
                seen_tx.send(()).expect("test is listening");
                Ok(())
            };
            let n = bw62_mix::tail_file(&inputs[0], Duration::from_millis(1), &stop, &mut write)
                .expect("tail");
            (n, lines)
        });
        seen_rx.recv().expect("first line seen");
        let mut file = fs::OpenOptions::new()
            .append(true)
            .open(&inputs[0])
            .expect("open");
        file.write_all(b"input-000.log 1 second\n").expect("append");
        stop.raise();
        let (n, lines) = tailer.join().expect("tailer");
        assert_eq!(n, 2);
        assert_eq!(lines[1], b"input-000.log 1 second\n");
    });
}
