//! The demo's command line: bad input is refused with a message naming it,
//! before any work.

const EXE: &str = env!("CARGO_BIN_EXE_bw64-parallel");

#[test]
fn a_trace_file_that_cannot_be_written_is_refused_before_any_work() {
    course_support::testing::refuses_an_unwritable_trace(EXE, &[]);
}
