//! The book's `Queue(1)`: a buffer of one forces every put to wait for the
//! get before it.

use bw55_queue::bounded::{Event, check_handoff, handoff};
use crossbeam_channel::{TrySendError, bounded};

#[test]
fn the_books_trace_starts_with_a_full_buffer() {
    for _ in 0..50 {
        let events = handoff(1, 2);
        assert_eq!(check_handoff(&events, 1, 2), Ok(()), "{events:?}");
        // Deterministic: the consumer starts only once the buffer is full.
        assert_eq!(
            events[..3],
            [Event::Put(1), Event::Full(2), Event::Waiting(1)]
        );
        assert_eq!(events.last(), Some(&Event::ConsumerDone));
    }
}

#[test]
fn each_put_waits_for_the_get_capacity_items_before_it() {
    for capacity in [1, 2, 3, 8] {
        for _ in 0..2 {
            let events = handoff(capacity, 2_000);
            assert_eq!(
                check_handoff(&events, capacity, 2_000),
                Ok(()),
                "capacity {capacity}"
            );
        }
    }
}

#[test]
fn fewer_items_than_the_buffer_never_block() {
    let events = handoff(4, 3);
    assert_eq!(check_handoff(&events, 4, 3), Ok(()));
    assert!(
        !events.iter().any(|e| matches!(e, Event::Full(_))),
        "{events:?}"
    );
}

#[test]
fn a_full_buffer_refuses_another_item_until_one_is_taken() {
    let (tx, rx) = bounded::<u32>(1);
    tx.send(1).expect("the receiver is alive");
    assert_eq!(tx.try_send(2), Err(TrySendError::Full(2)));
    assert_eq!(rx.recv(), Ok(1));
    assert_eq!(tx.try_send(2), Ok(()));
}
