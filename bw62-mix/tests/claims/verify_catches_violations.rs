//! The verifier itself: a check that cannot fail proves nothing, so each kind
//! of violation is planted on purpose and must be named.

use std::fs;
use std::path::PathBuf;

use bw62_mix::{Verified, VerifyError, verify};

/// Two inputs of three lines each, and an output built from `lines` (pairs
/// of file index and line index; `None` for a line of free text).
struct Case {
    _dir: tempfile::TempDir,
    inputs: Vec<PathBuf>,
    output: PathBuf,
}

const A: [&str; 3] = ["a.log 1 x", "a.log 2 y", "a.log 3 z"];
const B: [&str; 3] = ["b.log 1 p", "b.log 2 q", "b.log 3 r"];

fn case(output: &str) -> Case {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = dir.path().join("a.log");
    let b = dir.path().join("b.log");
    fs::write(&a, A.join("\n") + "\n").expect("a");
    fs::write(&b, B.join("\n") + "\n").expect("b");
    let out = dir.path().join("merged.log");
    fs::write(&out, output).expect("out");
    Case {
        _dir: dir,
        inputs: vec![a, b],
        output: out,
    }
}

fn lines(list: &[&str]) -> String {
    list.iter().map(|l| format!("{l}\n")).collect()
}

fn check(output: &str) -> Result<Verified, VerifyError> {
    let c = case(output);
    verify(&c.inputs, &c.output)
}

#[test]
fn an_interleaved_complete_merge_passes() {
    let ok = check(&lines(&[A[0], B[0], B[1], A[1], A[2], B[2]])).expect("valid merge");
    assert_eq!(ok, Verified { files: 2, lines: 6 });
}

#[test]
fn a_missing_middle_line_is_named() {
    let err = check(&lines(&[A[0], B[0], A[2], B[1], B[2]])).expect_err("a.log line 2 missing");
    match &err {
        VerifyError::Missing {
            file,
            line,
            found_instead,
            ..
        } => {
            assert_eq!(
                (file.as_str(), *line, *found_instead),
                ("a.log", 2, Some(3))
            );
        }
        other => panic!("wrong violation: {other}"),
    }
    assert!(err.to_string().contains("line 2 of a.log"), "{err}");
}

#[test]
fn a_missing_last_line_is_named() {
    let err = check(&lines(&[A[0], A[1], A[2], B[0], B[1]])).expect_err("b.log line 3 missing");
    assert!(
        matches!(&err, VerifyError::Missing { file, line: 3, found_instead: None, .. } if file == "b.log"),
        "{err}"
    );
}

#[test]
fn a_duplicated_line_is_named_with_both_places() {
    let err = check(&lines(&[A[0], B[0], A[1], A[1], A[2], B[1], B[2]])).expect_err("duplicate");
    assert!(
        matches!(&err, VerifyError::Duplicated { file, line: 2, first_at: 3, output_line: 4 } if file == "a.log"),
        "{err}"
    );
}

#[test]
fn two_swapped_lines_are_reported_as_reordered() {
    let err = check(&lines(&[A[0], B[1], B[0], A[1], A[2], B[2]])).expect_err("reordered");
    assert!(
        matches!(&err, VerifyError::Reordered { file, line: 2, expected: 1, output_line: 2 } if file == "b.log"),
        "{err}"
    );
}

#[test]
fn foreign_and_altered_lines_are_rejected() {
    let err =
        check(&lines(&[A[0], "c.log 1 ?", A[1], A[2], B[0], B[1], B[2]])).expect_err("unknown");
    assert!(
        matches!(err, VerifyError::UnknownSource { output_line: 2, .. }),
        "{err}"
    );

    let err =
        check(&lines(&[A[0], "a.log 2 changed", A[2], B[0], B[1], B[2]])).expect_err("altered");
    assert!(
        matches!(err, VerifyError::NotInInput { output_line: 2, .. }),
        "{err}"
    );
}

#[test]
fn an_output_ending_mid_line_is_rejected() {
    let mut text = lines(&[A[0], A[1], A[2], B[0], B[1]]);
    text.push_str(B[2]); // no newline
    let err = check(&text).expect_err("unterminated");
    assert!(
        matches!(err, VerifyError::UnterminatedOutput { output_line: 6, .. }),
        "{err}"
    );
}

#[test]
fn an_unreadable_file_is_named() {
    let c = case("");
    let missing = c.output.with_file_name("nope.log");
    let err = verify(&c.inputs, &missing).expect_err("no such output");
    assert!(err.to_string().contains("nope.log"), "{err}");
}
