//! The server's side of one connection: the book's `Session`, without the socket.
//!
//! The book's `Session` class mixes two things: reading lines from a socket
//! and the game (`set_params`, `next_guess`, `send_number`,
//! `receive_report`). Here the game stands alone. [`Session::handle`] takes a
//! parsed [`Command`] and returns what to send back, so the threaded server,
//! the async server and the tests all drive the very same state machine.

use std::collections::BTreeSet;

use crate::protocol::{Command, Decision, ProtocolError};

/// What a command did, for the transport to send and the server to observe.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Handled {
    /// The guess to send back (`NUMBER` only).
    pub reply: Option<i64>,
    /// What happened, for the server's observers.
    pub event: Event,
}

/// Something that happened in a session, reported to a server's observer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// `PARAMS` with a non-empty range began a session.
    Started {
        /// The range's lower bound.
        lower: i64,
        /// The range's upper bound.
        upper: i64,
    },
    /// `PARAMS` with an empty range (`PARAMS 0 -1`) ended the session.
    Ended,
    /// The server answered `NUMBER` with this guess.
    Guessed(i64),
    /// The client reported on the last guess; the book's server prints this
    /// as `Server: 4 is Unsure`.
    Reported {
        /// The guess the report is about.
        guess: i64,
        /// What the client said about it.
        decision: Decision,
    },
}

/// The state of one connection's game.
///
/// ```
/// use bw61_port_asyncio::protocol::{Command, Decision, ProtocolError};
/// use bw61_port_asyncio::session::Session;
///
/// let mut session = Session::new(7);
/// session.handle(Command::Params { lower: 1, upper: 2 })?;
/// let first = session.handle(Command::Number)?.reply.expect("a guess");
/// session.handle(Command::Report(Decision::Unsure))?;
/// let second = session.handle(Command::Number)?.reply.expect("a guess");
/// assert_eq!(first + second, 3); // 1 and 2, in some order
/// // Where the book's loop would draw random numbers forever:
/// assert_eq!(
///     session.handle(Command::Number),
///     Err(ProtocolError::Exhausted { lower: 1, upper: 2 })
/// );
/// # Ok::<(), ProtocolError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Session {
    /// `None` until the first `PARAMS`; an empty range after `PARAMS 0 -1`.
    range: Option<(i64, i64)>,
    /// The secret, once the client has reported a guess `Correct`.
    secret: Option<i64>,
    /// Every number guessed in this session, kept sorted for [`Session::next_guess`].
    guesses: BTreeSet<i64>,
    /// The most recent guess, which the next `REPORT` is about.
    last: Option<i64>,
    /// The book uses `random.randint`; a seeded generator makes a server's
    /// games reproducible, so the demo and the tests can compare the threaded
    /// and the async server guess for guess.
    rng: SplitMix64,
}

impl Session {
    /// A connection's session before any `PARAMS`, guessing with `seed`.
    pub fn new(seed: u64) -> Self {
        Session {
            range: None,
            secret: None,
            guesses: BTreeSet::new(),
            last: None,
            rng: SplitMix64(seed),
        }
    }

    /// Carries out one command.
    pub fn handle(&mut self, command: Command) -> Result<Handled, ProtocolError> {
        match command {
            Command::Params { lower, upper } => {
                self.set_params(lower, upper);
                let event = if lower <= upper {
                    Event::Started { lower, upper }
                } else {
                    Event::Ended
                };
                Ok(Handled { reply: None, event })
            }
            Command::Number => {
                let guess = self.send_number()?;
                Ok(Handled {
                    reply: Some(guess),
                    event: Event::Guessed(guess),
                })
            }
            Command::Report(decision) => {
                let guess = self.receive_report(decision)?;
                Ok(Handled {
                    reply: None,
                    event: Event::Reported { guess, decision },
                })
            }
        }
    }

    /// True while a session with a non-empty range is open; a client that
    /// disconnects now has abandoned it.
    pub fn in_progress(&self) -> bool {
        matches!(self.range, Some((lower, upper)) if lower <= upper)
    }

    /// The secret, if the client has reported a guess `Correct`.
    pub fn secret(&self) -> Option<i64> {
        self.secret
    }

    /// The book's `set_params` (via `_clear_state`): a new range forgets the
    /// previous session entirely. An empty range is valid; it is the reset.
    pub fn set_params(&mut self, lower: i64, upper: i64) {
        self.range = Some((lower, upper));
        self.secret = None;
        self.guesses.clear();
        self.last = None;
    }

    /// The book's `next_guess`: the secret once known, otherwise a number of
    /// the range not guessed before in this session.
    pub fn next_guess(&mut self) -> Result<i64, ProtocolError> {
        if let Some(secret) = self.secret {
            return Ok(secret);
        }
        let (lower, upper) = self.range.ok_or(ProtocolError::NoRange)?;
        if lower > upper {
            return Err(ProtocolError::EmptyRange { lower, upper });
        }
        // Bounds are within ±BOUND_LIMIT, so the width fits easily and is
        // positive here; every stored guess lies inside the range.
        let width = (upper - lower + 1) as u64;
        let unguessed = width - self.guesses.len() as u64;
        if unguessed == 0 {
            // The book's loop (`while True: randint ... if not in guesses`)
            // never ends in this state; here it is an error the client hears.
            return Err(ProtocolError::Exhausted { lower, upper });
        }
        // Pick the k-th number nobody has guessed yet, uniformly, in one
        // pass: start at lower + k and step over each earlier guess in
        // ascending order. No retry loop, so the cost is bounded even when
        // only one number is left.
        let k = self.rng.below(unguessed) as i64;
        let mut candidate = lower + k;
        for &guessed in &self.guesses {
            if guessed <= candidate {
                candidate += 1;
            } else {
                break;
            }
        }
        Ok(candidate)
    }

    /// The book's `send_number`, without the sending: choose and remember a guess.
    pub fn send_number(&mut self) -> Result<i64, ProtocolError> {
        let guess = self.next_guess()?;
        self.guesses.insert(guess);
        self.last = Some(guess);
        Ok(guess)
    }

    /// The book's `receive_report`: a `Correct` report makes the last guess
    /// the secret. Returns the guess the report was about.
    pub fn receive_report(&mut self, decision: Decision) -> Result<i64, ProtocolError> {
        let last = self.last.ok_or(ProtocolError::ReportBeforeGuess)?;
        if decision == Decision::Correct {
            self.secret = Some(last);
        }
        Ok(last)
    }
}

/// SplitMix64, a tiny seeded generator: good enough to pick guesses, and
/// deterministic, which the book's global `random` is not.
#[derive(Debug, Clone)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0), by multiplying and keeping the high half;
    /// the bias is below 2^-32 for the ranges this game allows.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }
}

/// The seed of connection number `connection` on a server seeded with `seed`.
///
/// Mixing the two keeps neighbouring connections' games unrelated while the
/// first connection of two servers with the same seed plays the same game.
pub fn connection_seed(seed: u64, connection: u64) -> u64 {
    SplitMix64(seed ^ connection.wrapping_mul(0xd1b5_4a32_d192_ed03)).next_u64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_fill_the_range_without_repeats_then_stop() {
        let mut session = Session::new(7);
        session.set_params(10, 15);
        let mut seen: Vec<i64> = (0..6)
            .map(|_| session.send_number().expect("unguessed left"))
            .collect();
        seen.sort_unstable();
        assert_eq!(seen, (10..=15).collect::<Vec<_>>());
        assert_eq!(
            session.send_number(),
            Err(ProtocolError::Exhausted {
                lower: 10,
                upper: 15
            })
        );
    }

    #[test]
    fn the_secret_is_repeated_once_known() {
        let mut session = Session::new(1);
        session.set_params(1, 100);
        let guess = session.send_number().expect("range set");
        session
            .receive_report(Decision::Correct)
            .expect("a guess was made");
        assert_eq!(session.send_number(), Ok(guess));
        assert_eq!(session.send_number(), Ok(guess));
    }
}
