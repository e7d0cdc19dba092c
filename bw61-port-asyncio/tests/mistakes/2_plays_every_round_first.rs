//! Mistake: every round played first, the outcomes then streamed from a
//! `Vec`. The items are right, but nothing is lazy: the whole game is over
//! before the consumer sees the first guess — a list, not a generator.

use bw61_port_asyncio::asynchronous::Client;
use bw61_port_asyncio::client::{Outcome, PlayError};
use bw61_port_asyncio::protocol::Decision;
use futures::StreamExt;
use futures::stream::{self, BoxStream};

pub fn request_numbers(
    client: &mut Client,
    count: usize,
) -> BoxStream<'_, Result<Outcome, PlayError>> {
    stream::once(async move {
        let mut outcomes = Vec::new();
        for _ in 0..count {
            let round = match client.request_number().await {
                Ok(number) => client
                    .report_outcome(number)
                    .await
                    .map(|decision| Outcome { number, decision }),
                Err(error) => Err(error),
            };
            let stop = !matches!(&round, Ok(o) if o.decision != Decision::Correct);
            outcomes.push(round);
            if stop {
                break;
            }
        }
        stream::iter(outcomes)
    })
    .flatten()
    .boxed()
}
