//! `unfold` hands the client to one round's future and gets it back with
//! the item, which is how a stream can keep a `&mut` borrow across
//! `.await`s; the rounds left go to 0 after `Correct` or an error.

use bw61_port_asyncio::asynchronous::Client;
use bw61_port_asyncio::client::{Outcome, PlayError};
use bw61_port_asyncio::protocol::Decision;
use futures::StreamExt;
use futures::stream::{self, BoxStream};

/// The book's async generator `request_numbers`, as a `Stream`.
pub fn request_numbers(
    client: &mut Client,
    count: usize,
) -> BoxStream<'_, Result<Outcome, PlayError>> {
    stream::unfold((client, count), |(client, left)| async move {
        if left == 0 {
            return None;
        }
        let outcome = match client.request_number().await {
            Ok(number) => client
                .report_outcome(number)
                .await
                .map(|decision| Outcome { number, decision }),
            Err(error) => Err(error),
        };
        let left = match &outcome {
            Ok(outcome) if outcome.decision != Decision::Correct => left - 1,
            _ => 0,
        };
        Some((outcome, (client, left)))
    })
    .boxed()
}
