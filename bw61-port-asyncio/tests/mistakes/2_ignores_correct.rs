//! Mistake: the stream counts its rounds but never looks at the verdict.
//! After `Correct` it asks for yet another guess — the book's generator
//! returns as soon as `last_distance == 0`.

use bw61_port_asyncio::asynchronous::Client;
use bw61_port_asyncio::client::{Outcome, PlayError};
use futures::StreamExt;
use futures::stream::{self, BoxStream};

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
        let left = if outcome.is_ok() { left - 1 } else { 0 };
        Some((outcome, (client, left)))
    })
    .boxed()
}
