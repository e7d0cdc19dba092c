//! The demo's command line: bad input is refused with a message naming it,
//! before any work.

const EXE: &str = env!("CARGO_BIN_EXE_bw58-refactor");

#[test]
fn a_trace_file_that_cannot_be_written_is_refused_before_any_work() {
    let path = std::env::temp_dir()
        .join("no such directory of the course")
        .join("trace.json");
    let stderr = course_support::testing::refused(
        EXE,
        &["--trace", path.to_str().expect("a UTF-8 temporary path")],
    );
    assert!(stderr.contains("cannot write the trace file"), "{stderr}");
    assert!(!stderr.contains("final:"), "{stderr}");
}
