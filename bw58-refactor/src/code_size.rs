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

/// The text of the item whose first line, without its indentation, starts
/// with `header` (`"fn logic_worker("`, `"impl Drop for Pipeline"`,
/// `"pub(crate) struct LogicJob"`), to the line that closes it: the first
/// later line that is exactly its indentation and `}`, as rustfmt writes the
/// end of an item. An item whose first line ends with `;` is that line alone.
/// `None` if there is no such item.
pub fn item_source<'a>(source: &'a str, header: &str) -> Option<&'a str> {
    let mut offset = 0;
    let mut open: Option<(usize, &str)> = None;
    for line in source.split_inclusive('\n') {
        match open {
            None => {
                let trimmed = line.trim_start();
                if trimmed.starts_with(header) {
                    let indent = &line[..line.len() - trimmed.len()];
                    if line.trim_end().ends_with(';') {
                        return Some(&source[offset..offset + line.len()]);
                    }
                    open = Some((offset, indent));
                }
            }
            Some((begin, indent)) => {
                let closing = line.trim_end();
                if closing.strip_prefix(indent) == Some("}") {
                    return Some(&source[begin..offset + line.len()]);
                }
            }
        }
        offset += line.len();
    }
    None
}

/// The text of the function `name` in `source`, public or not, from its
/// `fn` line to its closing brace ([`item_source`]).
pub fn function_source<'a>(source: &'a str, name: &str) -> Option<&'a str> {
    [format!("pub fn {name}("), format!("fn {name}(")]
        .iter()
        .find_map(|header| item_source(source, header))
}

fn functions(source: &str, names: &[&str]) -> usize {
    names
        .iter()
        .map(|name| function_source(source, name).map_or(0, code_lines))
        .sum()
}

/// Lines of code in the listed items of each source.
fn items(parts: &[(&str, &[&str])]) -> usize {
    parts
        .iter()
        .flat_map(|&(source, headers)| headers.iter().map(move |h| (source, *h)))
        .map(|(source, header)| item_source(source, header).map_or(0, code_lines))
        .sum()
}

/// What a pipeline needs that the serial loop did not: the message types,
/// the workers, the coordinator that feeds them and reassembles the grid,
/// starting the threads and shutting them down. The coordinator's loop is
/// counted whole, with the few lines in it that stop feeding after a failure.
const PIPELINE_ITSELF: &[(&str, &[&str])] = &[
    (
        FAN,
        &[
            "pub(crate) struct LogicJob",
            "pub(crate) struct CellResult",
            "pub(crate) fn logic_worker(",
            "pub(crate) fn fan_out_fan_in<",
            "struct Assembly",
            "fn new(grid: &Grid)",
            "fn collect(",
            "fn finish(",
        ],
    ),
    (
        PIPELINE,
        &[
            "pub struct Pipeline",
            "pub fn try_with_capacity(",
            "pub fn simulate_pipeline(",
            "impl Drop for Pipeline",
        ],
    ),
    (
        WORKERS,
        &[
            "pub(crate) struct Workers",
            "pub(crate) fn spawn(",
            "pub(crate) fn join(",
        ],
    ),
];

/// Turning a panic or an I/O error into the failing cell's error, keeping the
/// first one, and naming a cell when the workers are gone.
const PIPELINE_ERRORS: &[(&str, &[&str])] = &[(
    FAN,
    &[
        "pub(crate) fn guarded<",
        "fn fail(",
        "fn failed(",
        "fn workers_gone(",
    ],
)];

/// The count of live worker threads that the tests read (`LiveWorkers`).
const PIPELINE_INSTRUMENTATION: &[(&str, &[&str])] = &[
    (
        WORKERS,
        &[
            "pub struct LiveWorkers",
            "impl LiveWorkers",
            "struct Alive",
            "impl Drop for Alive",
            "pub(crate) fn live(",
        ],
    ),
    (PIPELINE, &["pub fn live_workers("]),
    (TWO_PHASE, &["pub fn live_workers("]),
];

/// The second phase's own message type, worker, start, generation and
/// shutdown (it reuses the first phase's parts).
const SECOND_PHASE_ITSELF: &[(&str, &[&str])] = &[(
    TWO_PHASE,
    &[
        "struct CountJob",
        "pub struct TwoPhasePipeline",
        "pub fn try_with_capacity(",
        "pub fn simulate_pipeline(",
        "fn count_worker(",
        "impl Drop for TwoPhasePipeline",
    ],
)];

/// The size of every version of the step, from item 56's serial loop to this
/// item's two-phase pipeline. The pipeline is counted in parts: the
/// refactoring itself, then what hardening added around it.
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
            what: "pipeline: the refactoring itself",
            lines: items(PIPELINE_ITSELF),
        },
        Footprint {
            what: "second phase on top: the refactoring itself",
            lines: items(SECOND_PHASE_ITSELF),
        },
    ]
}

/// What the pipeline's files hold besides the refactoring itself.
pub fn hardening_footprint() -> Vec<Footprint> {
    vec![
        Footprint {
            what: "pipeline: error handling (panics, first error)",
            lines: items(PIPELINE_ERRORS),
        },
        Footprint {
            what: "test instrumentation (LiveWorkers)",
            lines: items(PIPELINE_INSTRUMENTATION),
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
    fn a_method_ends_at_the_brace_of_its_own_indentation() {
        let source =
            "impl A {\n    fn f(&self) {\n        if x {\n        }\n    }\n}\nstruct B(u8);\n";
        assert_eq!(
            item_source(source, "fn f("),
            Some("    fn f(&self) {\n        if x {\n        }\n    }\n")
        );
        assert_eq!(item_source(source, "struct B"), Some("struct B(u8);\n"));
    }

    /// Items of the pipelines' files that are neither the refactoring, its
    /// error handling nor instrumentation: constructors with defaults,
    /// accessors, and the course's `Strategy` interface.
    const GLUE: &[&str] = &[
        "pub fn new(",
        "pub fn with_capacity(",
        "pub fn workers(",
        "pub fn capacity(",
        "pub fn workers_per_phase(",
        "pub(crate) fn len(",
        "impl Strategy for",
        "fn name(",
        "fn step(",
    ];

    #[test]
    fn every_item_of_the_pipelines_is_counted_somewhere() {
        let groups = [
            PIPELINE_ITSELF,
            PIPELINE_ERRORS,
            PIPELINE_INSTRUMENTATION,
            SECOND_PHASE_ITSELF,
        ];
        // Every listed item exists, so no part of a figure silently drops out.
        for &(source, headers) in groups.iter().flat_map(|g| g.iter()) {
            for header in headers {
                assert!(item_source(source, header).is_some(), "{header} not found");
            }
        }
        // Every item in the files is listed, so a new function must be
        // placed in one of the groups (or the glue) before the figures change.
        let listed: Vec<&str> = groups
            .iter()
            .flat_map(|g| g.iter())
            .flat_map(|&(_, headers)| headers.iter().copied())
            .chain(GLUE.iter().copied())
            .collect();
        for source in [PIPELINE, FAN, WORKERS, TWO_PHASE] {
            // Where each listed item of this file lies, so the methods of a
            // listed `impl Trait for X` count as listed.
            let covered: Vec<(usize, usize)> = listed
                .iter()
                .filter_map(|header| item_source(source, header))
                .map(|item| {
                    let start = item.as_ptr() as usize - source.as_ptr() as usize;
                    (start, start + item.len())
                })
                .collect();
            let mut offset = 0;
            for line in source.split_inclusive('\n') {
                let at = offset;
                offset += line.len();
                let line = line.trim();
                let item = [
                    "fn ",
                    "pub fn ",
                    "pub(crate) fn ",
                    "struct ",
                    "pub struct ",
                    "pub(crate) struct ",
                    "impl ",
                ]
                .iter()
                .any(|start| line.starts_with(start));
                // An inherent `impl X {` only holds methods, listed one by one.
                let inherent = line.starts_with("impl ") && !line.contains(" for ");
                let inside = covered.iter().any(|&(start, end)| start < at && at < end);
                if item && !inherent && !inside {
                    assert!(
                        listed.iter().any(|header| line.starts_with(header)),
                        "not counted in any group: {line}"
                    );
                }
            }
        }
    }

    #[test]
    fn every_counted_function_is_found() {
        for name in ["next_state", "step_cell", "simulate"] {
            assert!(function_source(SERIAL, name).is_some(), "{name} in bw56");
        }
        assert!(function_source(THREADED, "simulate_threaded").is_some());
        let sizes = refactoring_footprint();
        assert!(sizes.iter().all(|f| f.lines > 0), "{sizes:?}");
        assert!(hardening_footprint().iter().all(|f| f.lines > 0));
        // The point of the table: each step of the refactoring is larger.
        assert!(
            sizes[0].lines < sizes[1].lines && sizes[1].lines < sizes[2].lines,
            "{sizes:?}"
        );
    }
}
