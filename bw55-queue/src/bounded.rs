//! After, step 1: a blocking channel with a bound, and the order it forces.
//!
//! The book's `Queue(1)` example: a producer puts two items on a queue that
//! holds one; the consumer starts late. The trace it prints is
//!
//! ```text
//! Producer put 1
//! Consumer got 1
//! Producer put 2
//! Producer done
//! Consumer got 2
//! Consumer done
//! ```
//!
//! `put 2` cannot happen before `got 1`: the buffer is full until the
//! consumer takes item 1, so the producer *blocks* — no polling, no sleeping
//! in a loop, the thread is parked in the kernel until there is room. That is
//! **backpressure**: a fast producer is held to the pace of its consumer, and
//! the buffer between them never holds more than its bound.
//!
//! [`handoff`] runs that scenario on a [`crossbeam_channel::bounded`] channel
//! and records what each side does, and [`check_handoff`] checks the order
//! the bound forces.
//!
//! # What a trace can and cannot promise
//!
//! Each side writes a line *after* its call returns, and the two threads race
//! to write. When the consumer takes item 1, the producer's `put 2` may return
//! and be logged before the consumer gets round to logging `got 1`. The book's
//! Python never shows that only because of how its threads happen to be
//! scheduled. So the consumer also logs *before* each get ("waiting for 1"),
//! and the rule that always holds is: **`put k` is logged after "waiting for
//! `k − capacity`"**. The demo prints the full trace; the tests check that
//! rule over thousands of items.
//!
//! The book's consumer sleeps 0.1 s so the producer gets ahead. Here the
//! consumer instead waits until the producer reports a full buffer — the same
//! situation, reached by a signal rather than by luck with the clock.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::thread;

use crossbeam_channel::{TrySendError, bounded};

/// One line of a [`handoff`] trace. Items are numbered from 1, as in the book.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Event {
    /// The producer tried to put this item and found the buffer full; it now
    /// blocks until there is room.
    Full(u32),
    /// The producer's put of this item returned.
    Put(u32),
    /// The producer is done and drops its sender, closing the channel.
    ProducerDone,
    /// The consumer is about to get its next item (this one, if there is one).
    Waiting(u32),
    /// The consumer's get returned this item.
    Got(u32),
    /// The consumer's get reported the channel closed and empty.
    ConsumerDone,
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Full(k) => write!(f, "Producer putting {k}: buffer full, blocked"),
            Self::Put(k) => write!(f, "Producer put {k}"),
            Self::ProducerDone => f.write_str("Producer done (sender dropped)"),
            Self::Waiting(k) => write!(f, "Consumer waiting for {k}"),
            Self::Got(k) => write!(f, "Consumer got {k}"),
            Self::ConsumerDone => f.write_str("Consumer done (channel closed)"),
        }
    }
}

/// Sends items `1..=items` through a channel of `capacity` from a producer
/// (this thread) to a consumer thread, and returns what both did, in the
/// order they logged it.
///
/// # Panics
///
/// If `capacity` is 0: that is a rendezvous channel, which has no buffer to
/// fill (and Python's `Queue(0)` means *unbounded*, the opposite).
pub fn handoff(capacity: usize, items: u32) -> Vec<Event> {
    assert!(
        capacity > 0,
        "a handoff needs a buffer of at least one item"
    );
    let (items_tx, items_rx) = bounded::<u32>(capacity);
    // Lets the consumer start once the producer has filled the buffer.
    let (start_tx, start_rx) = bounded::<()>(1);
    // One lock orders the lines of both threads. Taking it is also a
    // synchronisation point, so the log's order agrees with what each thread
    // had seen of the other.
    let log = Mutex::new(Vec::new());
    let record = |event| {
        log.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(event)
    };

    thread::scope(|s| {
        s.spawn(|| {
            // `Err` here means the producer finished without ever filling the
            // buffer (items <= capacity) and dropped `start_tx`: start anyway.
            let _ = start_rx.recv();
            let mut next = 1;
            loop {
                record(Event::Waiting(next));
                // Blocks while the channel is empty; `Err` only once it is
                // empty *and* every sender is gone. No sentinel needed.
                match items_rx.recv() {
                    Ok(item) => record(Event::Got(item)),
                    Err(_) => break,
                }
                next += 1;
            }
            record(Event::ConsumerDone);
        });

        let mut consumer_started = false;
        for item in 1..=items {
            // `try_send` first, only to *observe* the bound: a full buffer is
            // worth a line in the trace. A plain `send` would simply block.
            match items_tx.try_send(item) {
                Ok(()) => {}
                Err(TrySendError::Full(item)) => {
                    record(Event::Full(item));
                    if !consumer_started {
                        consumer_started = true;
                        // Cannot fail: the consumer is waiting on this
                        // one-slot channel and nothing else uses it.
                        let _ = start_tx.send(());
                    }
                    items_tx
                        .send(item)
                        .expect("the consumer keeps its receiver until the channel closes");
                }
                Err(TrySendError::Disconnected(_)) => {
                    unreachable!("the consumer keeps its receiver until the channel closes")
                }
            }
            record(Event::Put(item));
        }
        record(Event::ProducerDone);
        // New: closing is dropping. Once the last sender is gone, the
        // consumer's `recv` drains what is buffered and then returns `Err`.
        drop(items_tx);
        drop(start_tx);
    });

    log.into_inner().unwrap_or_else(PoisonError::into_inner)
}

/// Checks a [`handoff`] trace: every item put once and got once, in order,
/// and the order the bound forces:
///
/// - the first put that finds the buffer full is item `capacity + 1`, before
///   the consumer has started;
/// - `Put(k)` comes after `Waiting(k − capacity)`: item `k` found room only
///   after the consumer began to take item `k − capacity`;
/// - `Got(k)` comes after `Full(k)` when `k` had to wait;
/// - the consumer finishes after the producer.
///
/// The error names the first rule broken.
pub fn check_handoff(events: &[Event], capacity: usize, items: u32) -> Result<(), String> {
    // Where each event first appears, looked up once per rule below.
    let mut first_at = HashMap::with_capacity(events.len());
    for (index, event) in events.iter().enumerate() {
        first_at.entry(*event).or_insert(index);
    }
    let position = |wanted: Event| first_at.get(&wanted).copied();
    let puts: Vec<u32> = events
        .iter()
        .filter_map(|e| match e {
            Event::Put(k) => Some(*k),
            _ => None,
        })
        .collect();
    let gots: Vec<u32> = events
        .iter()
        .filter_map(|e| match e {
            Event::Got(k) => Some(*k),
            _ => None,
        })
        .collect();
    let expected: Vec<u32> = (1..=items).collect();
    if puts != expected {
        return Err(format!(
            "puts were {puts:?}, expected 1..={items} once each"
        ));
    }
    if gots != expected {
        return Err(format!(
            "gets were {gots:?}, expected 1..={items} once each, in order"
        ));
    }

    let capacity_u32 = u32::try_from(capacity).unwrap_or(u32::MAX);
    if items > capacity_u32 {
        let first_full = events.iter().find_map(|e| match e {
            Event::Full(k) => Some(*k),
            _ => None,
        });
        if first_full != Some(capacity_u32 + 1) {
            return Err(format!(
                "the first full buffer was met at {first_full:?}, expected at item {}",
                capacity_u32 + 1
            ));
        }
        let full_at = position(Event::Full(capacity_u32 + 1)).unwrap_or(usize::MAX);
        if position(Event::Waiting(1)).is_some_and(|w| w < full_at) {
            return Err("the consumer started before the buffer was full".to_owned());
        }
    }

    for k in capacity_u32.saturating_add(1)..=items {
        let put = position(Event::Put(k));
        let waiting = position(Event::Waiting(k - capacity_u32));
        if put < waiting {
            return Err(format!(
                "put {k} finished before the consumer began to get {}: \
                 the buffer held more than {capacity}",
                k - capacity_u32
            ));
        }
    }
    for k in 1..=items {
        if let Some(full) = position(Event::Full(k))
            && position(Event::Got(k)) < Some(full)
        {
            return Err(format!("item {k} was got before it was put"));
        }
    }
    if position(Event::ConsumerDone) < position(Event::ProducerDone) {
        return Err("the consumer finished before the producer closed the channel".to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trace_that_breaks_the_bound_is_rejected() {
        // Put 2 finished before the consumer began to take item 1: impossible
        // with a buffer of one.
        let events = [
            Event::Put(1),
            Event::Full(2),
            Event::Put(2),
            Event::Waiting(1),
            Event::Got(1),
            Event::ProducerDone,
            Event::Waiting(2),
            Event::Got(2),
            Event::Waiting(3),
            Event::ConsumerDone,
        ];
        let err = check_handoff(&events, 1, 2).expect_err("the bound is broken");
        assert!(err.contains("put 2 finished before"), "{err}");
        // Two items went in before the buffer was first full, with room for one.
        let early = [
            Event::Put(1),
            Event::Put(2),
            Event::Full(3),
            Event::Waiting(1),
            Event::Got(1),
            Event::Put(3),
            Event::ProducerDone,
            Event::Waiting(2),
            Event::Got(2),
            Event::Waiting(3),
            Event::Got(3),
            Event::Waiting(4),
            Event::ConsumerDone,
        ];
        let err = check_handoff(&early, 1, 3).expect_err("the buffer held two");
        assert!(err.contains("first full buffer"), "{err}");
    }

    #[test]
    fn the_books_trace_is_accepted() {
        let events = [
            Event::Put(1),
            Event::Full(2),
            Event::Waiting(1),
            Event::Got(1),
            Event::Put(2),
            Event::ProducerDone,
            Event::Waiting(2),
            Event::Got(2),
            Event::Waiting(3),
            Event::ConsumerDone,
        ];
        assert_eq!(check_handoff(&events, 1, 2), Ok(()));
    }
}
