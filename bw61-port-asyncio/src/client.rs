//! The client's side of the game, without the socket.
//!
//! The book's `Client` knows the secret and judges each guess the server
//! makes (`report_outcome`): `Correct` at distance 0, `Warmer` or `Colder`
//! when the distance shrank or grew, `Unsure` on the first guess or an equal
//! distance. That judgement is [`Judge`]; the two transports' clients wrap it
//! with their sockets.

use std::fmt;

use crate::protocol::{self, Decision, Line, ProtocolError};

/// How many numbers the book's client asks for in one session.
pub const REQUESTS_PER_SESSION: usize = 5;

/// One game: the range the server guesses in and the client's secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GameSpec {
    /// The smallest number the server may guess.
    pub lower: i64,
    /// The largest number the server may guess.
    pub upper: i64,
    /// The number the client has in mind.
    pub secret: i64,
}

impl fmt::Display for GameSpec {
    /// The book's session header.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Guess a number between {} and {}! Shhhhh, it's {}.",
            self.lower, self.upper, self.secret
        )
    }
}

/// The book's two sessions: 1..5 with secret 3, then 10..15 with secret 12.
pub const BOOK_GAMES: [GameSpec; 2] = [
    GameSpec {
        lower: 1,
        upper: 5,
        secret: 3,
    },
    GameSpec {
        lower: 10,
        upper: 15,
        secret: 12,
    },
];

/// A guess and the client's verdict on it; printed `Client: 4 is Unsure`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The server's guess.
    pub number: i64,
    /// What the client reported.
    pub decision: Decision,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is {}", self.number, self.decision)
    }
}

/// One session as the client played it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    /// The game.
    pub spec: GameSpec,
    /// Every guess with its verdict, in order.
    pub outcomes: Vec<Outcome>,
}

impl SessionRecord {
    /// True if the last guess was the secret.
    pub fn solved(&self) -> bool {
        self.outcomes
            .last()
            .is_some_and(|outcome| outcome.decision == Decision::Correct)
    }
}

/// The book's `report_outcome` logic, with the state it keeps between guesses.
#[derive(Clone, Copy, Debug)]
pub struct Judge {
    secret: i64,
    /// `None` before the first guess of the session (the book's `None`).
    last_distance: Option<u64>,
}

impl Judge {
    /// A judge for a session whose secret is `secret`.
    pub fn new(secret: i64) -> Self {
        Judge {
            secret,
            last_distance: None,
        }
    }

    /// Judges one guess and remembers its distance for the next.
    pub fn judge(&mut self, number: i64) -> Decision {
        let distance = number.abs_diff(self.secret);
        let decision = match self.last_distance {
            _ if distance == 0 => Decision::Correct,
            None => Decision::Unsure,
            Some(last) if distance < last => Decision::Warmer,
            Some(last) if distance > last => Decision::Colder,
            Some(_) => Decision::Unsure,
        };
        self.last_distance = Some(distance);
        decision
    }
}

/// How many more rounds `request_numbers` may play after `outcome`, with
/// `left` before it: none once the guess was `Correct` (the book's generator
/// returns when `last_distance == 0`) or once the round failed.
pub fn rounds_left(left: usize, outcome: &Result<Outcome, PlayError>) -> usize {
    match outcome {
        Ok(outcome) if outcome.decision != Decision::Correct => left.saturating_sub(1),
        _ => 0,
    }
}

/// Why a client could not play.
#[derive(Debug, thiserror::Error)]
pub enum PlayError {
    /// The socket failed. (The message includes the I/O error, so it is not
    /// also chained as a source: printed with its sources, it would repeat.)
    #[error("connection failed: {0}")]
    Io(std::io::Error),
    /// The server rejected a command (it sent `ERROR ...` and closed).
    #[error("the server rejected a command: {0}")]
    Server(String),
    /// The server closed the connection while the client waited for a reply.
    #[error("the server closed the connection before replying")]
    Closed,
    /// A reply that is neither a number nor an `ERROR` line.
    #[error("unexpected reply from the server: {0}")]
    BadReply(String),
    /// `report_outcome` outside a session: there is no secret to judge against.
    #[error("no session is open; start one with session() first")]
    NoSession,
    /// The body of a session failed for a reason of its own.
    #[error("{0}")]
    Aborted(String),
    /// An earlier session on this connection was cancelled (its future
    /// dropped) part-way; a reply may still be unread, so the connection
    /// serves no further session. `close` still sends the reset.
    #[error("an earlier session on this connection was cancelled; close it and connect again")]
    Cancelled,
}

impl From<std::io::Error> for PlayError {
    fn from(error: std::io::Error) -> Self {
        PlayError::Io(error)
    }
}

/// Decodes the server's reply to `NUMBER` from one bounded read.
pub fn decode_reply(bytes: &[u8]) -> Result<i64, PlayError> {
    let line = match protocol::decode_line(bytes) {
        Ok(Line::Complete(line)) => line,
        Ok(Line::Eof | Line::Truncated) => return Err(PlayError::Closed),
        Err(ProtocolError::LineTooLong) => {
            return Err(PlayError::BadReply("a line longer than 1 KiB".to_owned()));
        }
        Err(other) => return Err(PlayError::BadReply(other.to_string())),
    };
    if let Some(reason) = line.strip_prefix("ERROR ") {
        return Err(PlayError::Server(reason.to_owned()));
    }
    line.trim()
        .parse()
        .map_err(|_| PlayError::BadReply(format!("{line:?} is not a number")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_book_judges_equal_distance_as_unsure() {
        // The book's first session: 4, 1, 5, 3 with secret 3.
        let mut judge = Judge::new(3);
        let decisions: Vec<Decision> = [4, 1, 5, 3].into_iter().map(|n| judge.judge(n)).collect();
        assert_eq!(
            decisions,
            [
                Decision::Unsure,
                Decision::Colder,
                Decision::Unsure,
                Decision::Correct
            ]
        );
    }

    #[test]
    fn replies_decode_to_numbers_or_errors() {
        assert_eq!(decode_reply(b"12\n").expect("a number"), 12);
        assert!(matches!(decode_reply(b"ERROR nope\n"), Err(PlayError::Server(m)) if m == "nope"));
        assert!(matches!(decode_reply(b""), Err(PlayError::Closed)));
        assert!(matches!(
            decode_reply(b"hello\n"),
            Err(PlayError::BadReply(_))
        ));
    }
}
