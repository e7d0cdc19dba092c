//! The "before": a hand-made queue polled by workers.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use bw55_queue::busy_queue::{self, IdleWait, MyQueue, Worker};
use bw55_queue::work::{self, Stages, check_receipts};
use crossbeam_channel::{Sender, unbounded};

#[test]
fn my_queue_is_first_in_first_out_and_says_when_it_is_empty() {
    let queue = MyQueue::new();
    assert_eq!(queue.get(), None::<u32>);
    for n in 0..5 {
        queue.put(n);
    }
    assert_eq!(queue.max_len(), 5);
    assert_eq!(
        (0..5).map(|_| queue.get()).collect::<Vec<_>>(),
        [Some(0), Some(1), Some(2), Some(3), Some(4)]
    );
    assert_eq!(queue.get(), None);
    assert_eq!(queue.empty_gets(), 2);
}

#[test]
fn every_poll_is_counted_and_idle_polls_are_wasted() {
    let input = MyQueue::new();
    let output = MyQueue::new();
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        let worker = s.spawn(|| {
            Worker::new(
                "double",
                |n: u32| n * 2,
                &input,
                &output,
                &stop,
                IdleWait::Yield,
            )
            .run()
        });
        // Let the worker find its queue empty a thousand times: it has no
        // way to wait for an item except to keep looking.
        while input.empty_gets() < 1_000 {
            std::thread::yield_now();
        }
        input.put(21);
        while output.is_empty() {
            std::thread::yield_now();
        }
        stop.store(true, Ordering::Release);
        let counts = worker.join().expect("the worker does not panic");
        assert_eq!(counts.work_done, 1);
        assert!(counts.polled_count > 1_000, "{counts:?}");
        assert!(counts.wasted_polls() >= 1_000, "{counts:?}");
    });
    assert_eq!(output.into_vec(), [42]);
}

#[test]
fn stopping_before_the_work_is_done_strands_the_queued_items() {
    let input = MyQueue::new();
    let output = MyQueue::<u32>::new();
    for n in 0..10 {
        input.put(n);
    }
    // The stop flag says nothing about the queue: set too early, the worker
    // leaves at its next poll with all ten items still queued.
    let stop = AtomicBool::new(true);
    let counts = Worker::new(
        "double",
        |n: u32| n * 2,
        &input,
        &output,
        &stop,
        IdleWait::Yield,
    )
    .run();
    assert_eq!((counts.polled_count, counts.work_done), (1, 0));
    assert_eq!(input.len(), 10);
    assert!(output.is_empty());
}

#[test]
fn a_slow_stage_makes_the_queue_before_it_grow_without_bound() {
    let items = 20_000;
    // Resize waits at a gate until download has made the last image, so
    // every image but (at most) the last piles up in resize's queue.
    let (gate_tx, gate_rx) = unbounded::<()>();
    let gate: Mutex<Option<Sender<()>>> = Mutex::new(Some(gate_tx));
    let downloaded = AtomicU64::new(0);
    let stages = Stages {
        download: Box::new(move |id| {
            let image = work::download(id);
            if downloaded.fetch_add(1, Ordering::SeqCst) + 1 == items {
                drop(gate.lock().expect("not poisoned").take());
            }
            image
        }),
        resize: Box::new(move |image| {
            let _ = gate_rx.recv();
            work::resize(image)
        }),
        upload: Box::new(work::upload),
    };
    let run = busy_queue::run(0..items, &stages, IdleWait::Yield);
    assert_eq!(check_receipts(&run.receipts, items), Ok(()));
    let [_, resize_queue, _, done_queue] = run.max_queued;
    assert!(
        resize_queue as u64 >= items - 2,
        "resize queue peaked at {resize_queue}"
    );
    assert_eq!(done_queue as u64, items);
}
