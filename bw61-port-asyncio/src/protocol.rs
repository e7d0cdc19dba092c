//! The wire protocol: one command per line, parsed and printed without any I/O.
//!
//! Both transports (threads in [`crate::threaded`], tasks in
//! [`crate::asynchronous`]) read bytes from a socket and hand them here; both
//! clients build their lines here. Nothing in this module knows where the
//! bytes came from, which is what lets the port to async leave it untouched.
//!
//! ```text
//! client → server            server → client
//! PARAMS <lower> <upper>     (nothing)
//! NUMBER                     <a guess>          or  ERROR <why>
//! REPORT <decision>          (nothing)          or  ERROR <why>
//! ```
//!
//! `PARAMS 0 -1` sets an empty range: it is how a client ends a session.

use std::fmt;
use std::num::IntErrorKind;
use std::str::FromStr;

/// The longest line either side accepts, in bytes, not counting the newline.
///
/// A reader never buffers more than this plus one byte: a line that has not
/// ended by then is rejected, so a client cannot make the server hold an
/// unbounded line in memory.
pub const MAX_LINE: usize = 1024;

/// How many bytes a transport asks for when it reads one line: [`MAX_LINE`]
/// and the newline. Reading through `take(LINE_READ_LIMIT)` bounds the buffer.
pub const LINE_READ_LIMIT: u64 = MAX_LINE as u64 + 1;

/// The largest magnitude a `PARAMS` bound may have.
///
/// A real game needs nothing near it; the limit keeps every range small
/// enough that `upper - lower + 1` cannot overflow and answers a client that
/// sends `PARAMS 1 99999999999` with a clear error instead of a huge session.
pub const BOUND_LIMIT: i64 = 1_000_000_000;

/// What the client thinks of the server's last guess (the book's `WARMER`,
/// `COLDER`, `UNSURE` and `CORRECT`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Decision {
    /// Closer to the secret than the guess before.
    Warmer,
    /// Farther from the secret than the guess before.
    Colder,
    /// The first guess of a session, or as far as the guess before.
    Unsure,
    /// The secret itself.
    Correct,
}

impl Decision {
    /// Every decision, in the order the protocol lists them.
    pub const ALL: [Decision; 4] = [
        Decision::Warmer,
        Decision::Colder,
        Decision::Unsure,
        Decision::Correct,
    ];

    /// The word on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Warmer => "Warmer",
            Decision::Colder => "Colder",
            Decision::Unsure => "Unsure",
            Decision::Correct => "Correct",
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Decision {
    type Err = ProtocolError;

    fn from_str(word: &str) -> Result<Self, Self::Err> {
        Decision::ALL
            .into_iter()
            .find(|decision| decision.as_str() == word)
            .ok_or_else(|| ProtocolError::UnknownDecision(word.to_owned()))
    }
}

/// One line from the client, parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// `PARAMS lower upper`: start a session guessing in `lower..=upper`; an
    /// empty range (`lower > upper`) ends the session instead.
    Params {
        /// The smallest number the server may guess.
        lower: i64,
        /// The largest number the server may guess.
        upper: i64,
    },
    /// `NUMBER`: ask the server for its next guess.
    Number,
    /// `REPORT decision`: tell the server what its last guess was worth.
    Report(Decision),
}

impl Command {
    /// `PARAMS 0 -1`, the empty range a client sends to end a session.
    pub const END_SESSION: Command = Command::Params {
        lower: 0,
        upper: -1,
    };

    /// Parses one line (without its newline).
    ///
    /// Words are separated by ASCII whitespace, so `PARAMS 1  5 ` is read as
    /// `PARAMS 1 5`; anything else that does not match the grammar is an
    /// error naming what was wrong and what was expected.
    pub fn parse(line: &str) -> Result<Command, ProtocolError> {
        let mut words = line.split_ascii_whitespace();
        let Some(name) = words.next() else {
            return Err(ProtocolError::EmptyLine);
        };
        let args: Vec<&str> = words.collect();
        match name {
            "PARAMS" => match args[..] {
                [lower, upper] => Ok(Command::Params {
                    lower: parse_bound(lower)?,
                    upper: parse_bound(upper)?,
                }),
                _ => Err(ProtocolError::arity(
                    "PARAMS",
                    "2 arguments (lower upper)",
                    args.len(),
                )),
            },
            "NUMBER" => match args[..] {
                [] => Ok(Command::Number),
                _ => Err(ProtocolError::arity("NUMBER", "no arguments", args.len())),
            },
            "REPORT" => match args[..] {
                [decision] => Ok(Command::Report(decision.parse()?)),
                _ => Err(ProtocolError::arity(
                    "REPORT",
                    "1 argument (the decision)",
                    args.len(),
                )),
            },
            other => Err(ProtocolError::UnknownCommand(clip(other))),
        }
    }
}

impl fmt::Display for Command {
    /// The line as it goes on the wire, without the newline.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Params { lower, upper } => write!(f, "PARAMS {lower} {upper}"),
            Command::Number => f.write_str("NUMBER"),
            Command::Report(decision) => write!(f, "REPORT {decision}"),
        }
    }
}

fn parse_bound(text: &str) -> Result<i64, ProtocolError> {
    match text.parse::<i64>() {
        Ok(value) if (-BOUND_LIMIT..=BOUND_LIMIT).contains(&value) => Ok(value),
        Ok(_) => Err(ProtocolError::BoundOutOfRange(clip(text))),
        // An integer too large even for i64 is still an integer: say "out of
        // range", not "not an integer", so the message points at the fix.
        Err(e)
            if matches!(
                e.kind(),
                IntErrorKind::PosOverflow | IntErrorKind::NegOverflow
            ) =>
        {
            Err(ProtocolError::BoundOutOfRange(clip(text)))
        }
        Err(_) => Err(ProtocolError::NotAnInteger(clip(text))),
    }
}

/// Keeps error messages short: a 1 KiB word is echoed as its first 40 characters.
fn clip(text: &str) -> String {
    const KEEP: usize = 40;
    match text.char_indices().nth(KEEP) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}

/// What the transport read for one line, classified.
#[derive(Debug, PartialEq, Eq)]
pub enum Line<'a> {
    /// A complete line, newline (and a `\r` before it) removed.
    Complete(&'a str),
    /// The peer closed the connection cleanly between lines.
    Eof,
    /// The peer closed the connection in the middle of a line.
    Truncated,
}

/// Classifies what one bounded read returned.
///
/// `bytes` is the result of reading up to a newline through
/// `take(`[`LINE_READ_LIMIT`]`)`: it ends with `\n` if a whole line fitted,
/// is empty at end of stream, and is otherwise either a line cut short by the
/// peer closing or, if it is [`LINE_READ_LIMIT`] bytes long, a line too long.
pub fn decode_line(bytes: &[u8]) -> Result<Line<'_>, ProtocolError> {
    let Some(body) = bytes.strip_suffix(b"\n") else {
        return if bytes.is_empty() {
            Ok(Line::Eof)
        } else if bytes.len() > MAX_LINE {
            Err(ProtocolError::LineTooLong)
        } else {
            Ok(Line::Truncated)
        };
    };
    // Accept `\r\n` too, so the game can be played from `telnet`.
    let body = body.strip_suffix(b"\r").unwrap_or(body);
    std::str::from_utf8(body)
        .map(Line::Complete)
        .map_err(|_| ProtocolError::InvalidUtf8)
}

/// The line a server sends for a guess.
pub fn number_line(number: i64) -> String {
    format!("{number}\n")
}

/// The line a server sends before closing a connection because of `error`.
pub fn error_line(error: &ProtocolError) -> String {
    format!("ERROR {error}\n")
}

/// Bad input from a client. The server answers `ERROR <this message>` and
/// closes that connection; every other connection carries on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    /// A blank line.
    #[error("empty line; expected PARAMS, NUMBER or REPORT")]
    EmptyLine,
    /// The first word is not a command.
    #[error("unknown command {0:?}; expected PARAMS, NUMBER or REPORT")]
    UnknownCommand(String),
    /// A command with the wrong number of arguments.
    #[error("{command} takes {expected}, got {got}")]
    WrongArity {
        /// The command's name.
        command: &'static str,
        /// What it takes, in words.
        expected: &'static str,
        /// How many arguments came.
        got: usize,
    },
    /// A `PARAMS` bound that is not an integer.
    #[error("PARAMS bound {0:?} is not an integer")]
    NotAnInteger(String),
    /// A `PARAMS` bound outside `-BOUND_LIMIT..=BOUND_LIMIT`.
    #[error("PARAMS bound {0} is out of range; expected -{BOUND_LIMIT}..={BOUND_LIMIT}")]
    BoundOutOfRange(String),
    /// `NUMBER` before any `PARAMS` on this connection.
    #[error("NUMBER before PARAMS: no range is set")]
    NoRange,
    /// `NUMBER` after a `PARAMS` with an empty range (such as the `PARAMS 0 -1`
    /// that ends a session).
    #[error("NUMBER with the empty range {lower}..={upper}; send PARAMS with lower <= upper first")]
    EmptyRange {
        /// The range's lower bound.
        lower: i64,
        /// The range's upper bound, below `lower`.
        upper: i64,
    },
    /// `NUMBER` when every number of the range has been guessed and none was
    /// reported `Correct`. The book's loop would draw random numbers forever here.
    #[error("every number in {lower}..={upper} has been guessed and none was reported Correct")]
    Exhausted {
        /// The range's lower bound.
        lower: i64,
        /// The range's upper bound.
        upper: i64,
    },
    /// `REPORT` before the server guessed anything in this session.
    #[error("REPORT before any NUMBER in this session")]
    ReportBeforeGuess,
    /// A `REPORT` word that is not a decision.
    #[error("unknown decision {0:?}; expected Warmer, Colder, Unsure or Correct")]
    UnknownDecision(String),
    /// A line longer than [`MAX_LINE`] bytes.
    #[error("line longer than {MAX_LINE} bytes")]
    LineTooLong,
    /// A line that is not UTF-8 text.
    #[error("line is not valid UTF-8")]
    InvalidUtf8,
}

impl ProtocolError {
    fn arity(command: &'static str, expected: &'static str, got: usize) -> Self {
        ProtocolError::WrongArity {
            command,
            expected,
            got,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_print_as_they_parse() {
        for command in [
            Command::Params { lower: 1, upper: 5 },
            Command::END_SESSION,
            Command::Number,
            Command::Report(Decision::Colder),
        ] {
            assert_eq!(Command::parse(&command.to_string()), Ok(command));
        }
    }

    #[test]
    fn lines_are_classified_by_how_they_end() {
        assert_eq!(decode_line(b"NUMBER\n"), Ok(Line::Complete("NUMBER")));
        assert_eq!(decode_line(b"NUMBER\r\n"), Ok(Line::Complete("NUMBER")));
        assert_eq!(decode_line(b""), Ok(Line::Eof));
        assert_eq!(decode_line(b"NUM"), Ok(Line::Truncated));
        assert_eq!(
            decode_line(&[b'x'; MAX_LINE + 1]),
            Err(ProtocolError::LineTooLong)
        );
        assert_eq!(decode_line(b"\xff\n"), Err(ProtocolError::InvalidUtf8));
    }

    #[test]
    fn long_words_are_clipped_in_messages() {
        let word = "x".repeat(500);
        let message = Command::parse(&word)
            .expect_err("not a command")
            .to_string();
        assert!(message.len() < 120, "{message}");
    }
}
