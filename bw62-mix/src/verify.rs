//! The check every version must pass: each input line appears in the merged
//! output exactly once, in its file's order.
//!
//! The book's `confirm_merge` groups the output's lines by the file name they
//! start with and compares each group with its file. [`verify`] does the same
//! and, when they differ, says *how*, naming the first violation in output
//! order:
//!
//! | violation | example |
//! |---|---|
//! | [`Missing`](VerifyError::Missing) | line 7 of `input-002.log` never appears |
//! | [`Duplicated`](VerifyError::Duplicated) | line 3 appears at output lines 10 and 41 |
//! | [`Reordered`](VerifyError::Reordered) | line 5 appears before line 4 |
//! | [`NotInInput`](VerifyError::NotInInput) | a line tagged `input-001.log` that the file does not hold |
//! | [`UnknownSource`](VerifyError::UnknownSource) | a line whose tag names no input |
//! | [`UnterminatedOutput`](VerifyError::UnterminatedOutput) | the output's last line lacks its newline |
//!
//! Lines are compared without their newline: an input whose last line was
//! never terminated matches that line terminated in the output, which is how
//! the tailers emit it (see [`LineBuffer::take_unterminated`](crate::LineBuffer::take_unterminated)).
//! Attribution relies on each line starting with its file's name followed by
//! a space, as [`Workload`](crate::Workload)'s writers write them, and on the
//! lines of one file being distinct (they carry their number).

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

/// What a successful [`verify`] saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    /// Input files checked.
    pub files: usize,
    /// Lines found, each exactly once and in order.
    pub lines: usize,
}

/// The first way in which the merged output differs from its inputs.
///
/// Line numbers are 1-based, as an editor shows them.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// An input or the output could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file that could not be read.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// An output line whose tag is not the name of any input file.
    #[error("output line {output_line} ({text:?}) does not start with the name of any input file")]
    UnknownSource {
        /// Where in the output.
        output_line: usize,
        /// The offending line.
        text: String,
    },
    /// An output line tagged with an input's name that the input does not hold.
    #[error("output line {output_line} ({text:?}) is not a line of {file}")]
    NotInInput {
        /// Where in the output.
        output_line: usize,
        /// The input named by the line's tag.
        file: String,
        /// The offending line.
        text: String,
    },
    /// A line of an input that the output lacks.
    #[error("line {line} of {file} ({text:?}) is missing from the output{}", missing_where(.found_instead))]
    Missing {
        /// The input file.
        file: String,
        /// Which of its lines.
        line: usize,
        /// Its text.
        text: String,
        /// The output line where a later line of the same file came instead,
        /// or `None` if the output simply ends without it.
        found_instead: Option<usize>,
    },
    /// A line of an input that the output holds more than once.
    #[error("line {line} of {file} is duplicated: output lines {first_at} and {output_line}")]
    Duplicated {
        /// The input file.
        file: String,
        /// Which of its lines.
        line: usize,
        /// Its first appearance in the output.
        first_at: usize,
        /// Its second appearance.
        output_line: usize,
    },
    /// Lines of one input in the wrong order.
    #[error(
        "lines of {file} out of order: output line {output_line} holds line {line}, but line {expected} comes later in the output"
    )]
    Reordered {
        /// The input file.
        file: String,
        /// The line that came too early.
        line: usize,
        /// The line that should have come first.
        expected: usize,
        /// Where the early line is in the output.
        output_line: usize,
    },
    /// The output's last line has no newline.
    #[error("output line {output_line} ({text:?}) has no newline: the output ends mid-line")]
    UnterminatedOutput {
        /// The last line.
        output_line: usize,
        /// Its text.
        text: String,
    },
}

/// Checks that `output` holds every line of every file in `inputs` exactly
/// once, each file's lines in their order, and nothing else.
pub fn verify(inputs: &[PathBuf], output: &Path) -> Result<Verified, VerifyError> {
    let read = |path: &Path| {
        fs::read(path).map_err(|source| VerifyError::Io {
            path: path.to_owned(),
            source,
        })
    };
    let contents = inputs
        .iter()
        .map(|path| read(path))
        .collect::<Result<Vec<_>, _>>()?;
    let merged = read(output)?;
    let files: Vec<Input<'_>> = inputs
        .iter()
        .zip(&contents)
        .map(|(path, bytes)| Input::new(path, bytes))
        .collect();
    check(&files, &merged)
}

/// One input file, split into lines.
struct Input<'a> {
    name: String,
    lines: Vec<&'a [u8]>,
    /// Where each distinct line sits in the file.
    position: HashMap<&'a [u8], usize>,
}

impl<'a> Input<'a> {
    fn new(path: &Path, bytes: &'a [u8]) -> Self {
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let (lines, _) = split_lines(bytes);
        let mut position = HashMap::with_capacity(lines.len());
        for (index, &line) in lines.iter().enumerate() {
            position.entry(line).or_insert(index);
        }
        Self {
            name,
            lines,
            position,
        }
    }
}

/// Splits bytes into lines without their newlines; also says whether the
/// last line had one (true for empty input).
fn split_lines(bytes: &[u8]) -> (Vec<&[u8]>, bool) {
    let terminated = bytes.last().is_none_or(|&b| b == b'\n');
    let body = if terminated && !bytes.is_empty() {
        &bytes[..bytes.len() - 1]
    } else {
        bytes
    };
    if bytes.is_empty() {
        return (Vec::new(), true);
    }
    (body.split(|&b| b == b'\n').collect(), terminated)
}

/// The tail of a [`VerifyError::Missing`] message.
fn missing_where(found_instead: &Option<usize>) -> String {
    match found_instead {
        Some(at) => {
            format!(" (output line {at} holds a later line of that file where it was expected)")
        }
        None => " (the output ends without it)".to_owned(),
    }
}

fn text(line: &[u8]) -> String {
    String::from_utf8_lossy(line).into_owned()
}

/// The comparison itself, on bytes already read.
fn check(inputs: &[Input<'_>], merged: &[u8]) -> Result<Verified, VerifyError> {
    let by_name: HashMap<&[u8], usize> = inputs
        .iter()
        .enumerate()
        .map(|(index, input)| (input.name.as_bytes(), index))
        .collect();
    let (out_lines, terminated) = split_lines(merged);

    // First pass: which file each output line claims to come from, and, per
    // file and line text, the output positions where it appears — needed to
    // tell a reordered line (it shows up later) from a missing one (never).
    let mut source = Vec::with_capacity(out_lines.len());
    let mut appearances: HashMap<(usize, &[u8]), Vec<usize>> = HashMap::new();
    for (at, &line) in out_lines.iter().enumerate() {
        let tag = line.split(|&b| b == b' ').next().unwrap_or(line);
        let file = by_name.get(tag).copied();
        if let Some(file) = file {
            appearances.entry((file, line)).or_default().push(at);
        }
        source.push(file);
    }

    // Second pass, in output order: each file's lines must come as 0, 1, 2...
    let mut next = vec![0usize; inputs.len()];
    let mut emitted_at: Vec<Vec<Option<usize>>> =
        inputs.iter().map(|i| vec![None; i.lines.len()]).collect();
    for (at, (&line, file)) in out_lines.iter().zip(&source).enumerate() {
        let output_line = at + 1;
        if at + 1 == out_lines.len() && !terminated {
            return Err(VerifyError::UnterminatedOutput {
                output_line,
                text: text(line),
            });
        }
        let Some(file) = *file else {
            return Err(VerifyError::UnknownSource {
                output_line,
                text: text(line),
            });
        };
        let input = &inputs[file];
        let name = input.name.clone();
        let Some(&found) = input.position.get(line) else {
            return Err(VerifyError::NotInInput {
                output_line,
                file: name,
                text: text(line),
            });
        };
        let expected = next[file];
        if found == expected {
            emitted_at[file][found] = Some(output_line);
            next[file] += 1;
        } else if found < expected {
            return Err(VerifyError::Duplicated {
                file: name,
                line: found + 1,
                first_at: emitted_at[file][found].unwrap_or(0),
                output_line,
            });
        } else {
            // A later line came first. If the expected one still shows up
            // further down, the two are out of order; otherwise it is lost.
            let wanted = input.lines[expected];
            let comes_later = appearances
                .get(&(file, wanted))
                .is_some_and(|positions| positions.iter().any(|&p| p > at));
            return Err(if comes_later {
                VerifyError::Reordered {
                    file: name,
                    line: found + 1,
                    expected: expected + 1,
                    output_line,
                }
            } else {
                VerifyError::Missing {
                    file: name,
                    line: expected + 1,
                    text: text(wanted),
                    found_instead: Some(output_line),
                }
            });
        }
    }

    // The output is consumed; every file must be too.
    for (input, &done) in inputs.iter().zip(&next) {
        if done < input.lines.len() {
            return Err(VerifyError::Missing {
                file: input.name.clone(),
                line: done + 1,
                text: text(input.lines[done]),
                found_instead: None,
            });
        }
    }
    Ok(Verified {
        files: inputs.len(),
        lines: out_lines.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitting_keeps_empty_and_unterminated_lines() {
        assert_eq!(split_lines(b""), (vec![], true));
        assert_eq!(split_lines(b"a\n"), (vec![&b"a"[..]], true));
        assert_eq!(split_lines(b"a\n\nb"), (vec![&b"a"[..], b"", b"b"], false));
    }
}
