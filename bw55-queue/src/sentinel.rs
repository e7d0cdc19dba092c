//! The book's way to stop a pipeline, run once: a sentinel for every worker,
//! the stages closed in order — and what one missing sentinel does.
//!
//! The book's `ClosableQueue.close()` puts a `SENTINEL`, and a worker's
//! `for item in queue` loop ends when it takes one. One sentinel ends one
//! worker, so a stage of several workers needs as many sentinels as it has
//! workers (the book's `stop_threads` puts one per thread), and the stages
//! have to be closed in order: put the first stage's sentinels, join its
//! workers — after that nothing more can reach the next queue — then close
//! the next stage. A Python queue cannot know who might still put into it,
//! so a sentinel is the only way to say "no more".
//!
//! [`run`] follows that discipline on channels whose senders stay alive for
//! the whole run, as `put` on a Python queue is always possible: only a
//! sentinel can end a worker. Told to put one sentinel too few, it shows the
//! price: a worker waits for ever. A watchdog notices that the stage has not
//! ended by its deadline, reports how many workers are still waiting, and
//! then puts the missing sentinels, so that even this run leaves nothing
//! running.
//!
//! [`pipeline`](crate::pipeline) has nothing to count: dropping a stage's
//! last sender *is* the close, whatever the number of workers.

use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, unbounded};

use crate::work::{Receipt, download, resize, upload};

/// What travels through the book's queues: an item, or the sentinel.
enum Message<T> {
    Item(T),
    Stop,
}

/// The names of the stages, in the order they are closed.
pub const STAGES: [&str; 3] = ["download", "resize", "upload"];

/// A stage that did not end by the watchdog's deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stuck {
    /// The stage's name.
    pub stage: &'static str,
    /// Its workers still waiting for a sentinel at the deadline.
    pub waiting: usize,
    /// Its workers in all.
    pub workers: usize,
}

/// How a sentinel-stopped run went.
#[derive(Debug)]
pub struct SentinelRun {
    /// One receipt per item, in the order they were uploaded.
    pub receipts: Vec<Receipt>,
    /// Sentinels put, stage by stage (the watchdog's extra ones included).
    pub sentinels: [usize; 3],
    /// The first stage that did not end in time, if any.
    pub stuck: Option<Stuck>,
    /// Threads joined: by the time `run` returns, every worker.
    pub joined: usize,
}

/// Runs `items` ids through download → resize → upload with `workers[i]`
/// threads in stage `i`, stopped the book's way. With `short = Some(i)`,
/// stage `i` gets one sentinel fewer than it has workers. A stage that has
/// not ended `deadline` after its sentinels were put is reported as
/// [`Stuck`], and then given one more sentinel per waiting worker.
///
/// # Panics
///
/// If a stage has no worker, a worker thread cannot start, or a worker panics.
pub fn run(
    items: u64,
    workers: [usize; 3],
    short: Option<usize>,
    deadline: Duration,
) -> SentinelRun {
    assert!(workers.iter().all(|&n| n > 0), "every stage needs a worker");
    let (download_tx, download_rx) = unbounded();
    let (resize_tx, resize_rx) = unbounded();
    let (upload_tx, upload_rx) = unbounded();
    let (done_tx, done_rx) = unbounded();
    let stages = [
        start(STAGES[0], workers[0], &download_rx, &resize_tx, download),
        start(STAGES[1], workers[1], &resize_rx, &upload_tx, resize),
        start(STAGES[2], workers[2], &upload_rx, &done_tx, upload),
    ];
    for id in 0..items {
        download_tx
            .send(Message::Item(id))
            .expect("this function holds a receiver of every queue");
    }

    // Close the stages in order. The senders above stay alive throughout:
    // only sentinels end the workers.
    let mut sentinels = [0; 3];
    let mut stuck = None;
    let mut joined = 0;
    for (index, handles) in stages.into_iter().enumerate() {
        let owed = workers[index] - usize::from(short == Some(index));
        let put = |count: usize| match index {
            0 => put_sentinels(&download_tx, count),
            1 => put_sentinels(&resize_tx, count),
            _ => put_sentinels(&upload_tx, count),
        };
        put(owed);
        sentinels[index] += owed;
        let waiting = wait_until_finished(&handles, deadline);
        if waiting > 0 {
            stuck.get_or_insert(Stuck {
                stage: STAGES[index],
                waiting,
                workers: workers[index],
            });
            // The watchdog's repair: a sentinel for each worker still
            // waiting, so that the run ends and every thread is joined.
            put(waiting);
            sentinels[index] += waiting;
        }
        for handle in handles {
            handle.join().expect("a stage worker does not panic");
            joined += 1;
        }
    }
    SentinelRun {
        receipts: done_rx.try_iter().filter_map(Message::into_item).collect(),
        sentinels,
        stuck,
        joined,
    }
}

impl<T> Message<T> {
    fn into_item(self) -> Option<T> {
        match self {
            Message::Item(item) => Some(item),
            Message::Stop => None,
        }
    }
}

/// Starts `workers` threads that take items from `input`, apply `work` and
/// pass the result on, until each takes a sentinel — the book's
/// `StoppableWorker`.
fn start<I, O>(
    stage: &str,
    workers: usize,
    input: &Receiver<Message<I>>,
    output: &Sender<Message<O>>,
    work: fn(I) -> O,
) -> Vec<JoinHandle<()>>
where
    I: Send + 'static,
    O: Send + 'static,
{
    (0..workers)
        .map(|index| {
            let (input, output) = (input.clone(), output.clone());
            // Named and spanned as the channel pipeline's workers are, so a
            // trace shows them the same way: a lane per worker.
            thread::Builder::new()
                .name(format!("{stage} #{index}"))
                .spawn(move || {
                    // `recv` cannot fail here: `run` holds a sender of every
                    // queue until all workers are joined. The sentinel is the
                    // only way out of this loop.
                    while let Ok(Message::Item(item)) = input.recv() {
                        let result = {
                            let _job = tracing::info_span!("stage job").entered();
                            work(item)
                        };
                        if output.send(Message::Item(result)).is_err() {
                            break;
                        }
                    }
                })
                // `thread::spawn`, the book's way, panics here too.
                .expect("the operating system starts a worker thread")
        })
        .collect()
}

fn put_sentinels<T>(queue: &Sender<Message<T>>, count: usize) {
    for _ in 0..count {
        queue
            .send(Message::Stop)
            .expect("`run` holds a receiver of every queue");
    }
}

/// Waits until every thread has finished or `deadline` has passed; returns
/// how many are still running.
fn wait_until_finished(handles: &[JoinHandle<()>], deadline: Duration) -> usize {
    let give_up = Instant::now() + deadline;
    loop {
        let running = handles.iter().filter(|h| !h.is_finished()).count();
        if running == 0 || Instant::now() >= give_up {
            return running;
        }
        thread::sleep(Duration::from_millis(1));
    }
}
