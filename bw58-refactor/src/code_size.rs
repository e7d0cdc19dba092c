//! How much code the refactoring touched, counted from the sources
//! themselves (compiled in with [`include_str!`], so the figures cannot drift
//! from the code).
//!
//! A line counts when it holds code: blank lines and comment lines (`//`,
//! `///`, `//!`) are left out, so the figures measure what a reader must
//! change and maintain, not how much is explained.

/// The serial generation of item 56 (`next_state`, `step_cell`, `simulate`).
const SERIAL: &str = include_str!("../../bw56-life/src/simulate.rs");
/// Item 57's thread per cell (`simulate_threaded`).
const THREADED: &str = include_str!("../../bw57-fanout/src/thread_per_cell.rs");
/// This crate's one-phase pipeline and what it needs.
const PIPELINE: &str = include_str!("pipeline.rs");
const FAN: &str = include_str!("fan.rs");
const WORKERS: &str = include_str!("workers.rs");
/// The second phase.
const TWO_PHASE: &str = include_str!("two_phase.rs");

/// One version of the generation step and its size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Footprint {
    /// What was counted.
    pub what: &'static str,
    /// Lines of code in it.
    pub lines: usize,
}

/// Lines of `source` that hold code: not blank, not a comment.
pub fn code_lines(source: &str) -> usize {
    source
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .count()
}

/// The text of the top-level function `name` in `source`, from its `fn` line
/// to its closing brace (the first line after it that is exactly `}`, as
/// rustfmt writes the end of an item), or `None` if there is no such
/// function.
pub fn function_source<'a>(source: &'a str, name: &str) -> Option<&'a str> {
    let signature = [format!("pub fn {name}("), format!("fn {name}(")];
    let mut offset = 0;
    let mut start = None;
    for line in source.split_inclusive('\n') {
        match start {
            None if signature.iter().any(|s| line.starts_with(s.as_str())) => {
                start = Some(offset);
            }
            Some(begin) if line.trim_end() == "}" => {
                return Some(&source[begin..offset + line.len()]);
            }
            _ => {}
        }
        offset += line.len();
    }
    None
}

fn functions(source: &str, names: &[&str]) -> usize {
    names
        .iter()
        .map(|name| function_source(source, name).map_or(0, code_lines))
        .sum()
}

/// The size of every version of the step, from item 56's serial loop to this
/// item's two-phase pipeline.
pub fn refactoring_footprint() -> Vec<Footprint> {
    vec![
        Footprint {
            what: "serial (bw56: next_state, step_cell, simulate)",
            lines: functions(SERIAL, &["next_state", "step_cell", "simulate"]),
        },
        Footprint {
            what: "thread per cell (bw57: simulate_threaded)",
            lines: functions(THREADED, &["simulate_threaded"]),
        },
        Footprint {
            what: "pipeline (pipeline.rs, fan.rs, workers.rs)",
            lines: code_lines(PIPELINE) + code_lines(FAN) + code_lines(WORKERS),
        },
        Footprint {
            what: "second phase on top (two_phase.rs)",
            lines: code_lines(TWO_PHASE),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_blank_lines_do_not_count() {
        let source = "//! doc\n\nfn a() {\n    // why\n    let x = 1; // trailing\n}\n";
        assert_eq!(code_lines(source), 3);
    }

    #[test]
    fn a_function_ends_at_its_closing_brace() {
        let source =
            "fn other() {}\n\npub fn simulate(\n    g: u8,\n) -> u8 {\n    g\n}\n\nfn after() {}\n";
        let found = function_source(source, "simulate").expect("present");
        assert_eq!(found, "pub fn simulate(\n    g: u8,\n) -> u8 {\n    g\n}\n");
        assert!(function_source(source, "missing").is_none());
    }

    #[test]
    fn every_counted_function_is_found() {
        for name in ["next_state", "step_cell", "simulate"] {
            assert!(function_source(SERIAL, name).is_some(), "{name} in bw56");
        }
        assert!(function_source(THREADED, "simulate_threaded").is_some());
        let sizes = refactoring_footprint();
        assert!(sizes.iter().all(|f| f.lines > 0), "{sizes:?}");
        // The point of the table: each step of the refactoring is larger.
        assert!(
            sizes[0].lines < sizes[1].lines && sizes[1].lines < sizes[2].lines,
            "{sizes:?}"
        );
    }
}
