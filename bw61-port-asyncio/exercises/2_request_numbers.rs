//! 연습 61.2 — 비동기 제너레이터를 Stream으로 / Exercise 61.2 — the async generator as a Stream
//!
//! The book's async client asks for guesses with an async generator,
//! `request_numbers(count)`, consumed with `async for`. Its Rust counterpart
//! is a `Stream`: write it.
//!
//! Run the checks: `cargo test -p bw61-port-asyncio --features exercises --test exercises exercise_61_2`

use bw61_port_asyncio::asynchronous::Client;
use bw61_port_asyncio::client::{Outcome, PlayError};
use futures::stream::BoxStream;

/// Up to `count` rounds of the game on `client`'s open session, one round
/// per item: `client.request_number()` for the server's guess, then
/// `client.report_outcome(number)` for its verdict, yielded as an
/// [`Outcome`]. The stream ends after a `Correct` verdict, after `count`
/// rounds, or right after the item that carries a failed round's error.
///
/// Like a generator, the stream plays a round only when it is polled for
/// the next item. Build it with `futures::stream::unfold`, whose state (the
/// client, the rounds left, whether to stop) goes into each step's future
/// and comes back out with the item, and finish with `.boxed()`
/// (`futures::StreamExt`).
///
/// The checks open sessions against a scripted server and verify that:
/// - after the first item, exactly one guess has been asked for (the stream
///   is lazy);
/// - the items are the book's outcomes, each `NUMBER` followed by its
///   `REPORT` on the wire;
/// - nothing more is asked for after `Correct`, after `count` rounds, or
///   after an error, which is the last item.
pub fn request_numbers(
    client: &mut Client,
    count: usize,
) -> BoxStream<'_, Result<Outcome, PlayError>> {
    todo!()
}
