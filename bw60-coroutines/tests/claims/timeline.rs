//! The drawn run's claim, from its recorded spans: on one thread, every
//! cell's wait overlaps all the others; on item 59's pool, no more waits
//! overlap than it has threads.

use bw59_threadpool::PoolStrategy;
use bw60_coroutines::{AsyncStrategy, Tokio, drawing, record_waits, row_per_wait};

#[test]
fn every_wait_overlaps_the_others_on_one_thread() {
    // The recorder keeps every span in the process: no other test's cells
    // may wait beside these.
    if !course_support::testing::alone_in_process(
        module_path!(),
        "every_wait_overlaps_the_others_on_one_thread",
    ) {
        return;
    }
    let runtime = Tokio::current_thread().expect("tokio starts");
    let run = record_waits(&mut AsyncStrategy::new(runtime)).expect("the drawn run succeeds");
    let cells = run.waits.intervals().len();
    assert_eq!(cells, 8, "one wait per cell of the 2x4 grid");
    assert_eq!(
        run.threads,
        1,
        "every wait begins on the thread polling the cells: {:?}",
        run.waits.lanes()
    );
    assert_eq!(
        run.waits.peak_overlap(),
        cells,
        "every wait is open at once:\n{}",
        row_per_wait(&run.waits).chart(72, 8)
    );

    let mut pool = PoolStrategy::new(2).expect("two threads start");
    let run = record_waits(&mut pool).expect("the drawn run succeeds");
    let mut lanes = run.waits.lanes();
    lanes.sort_unstable();
    assert_eq!(lanes, ["worker 0", "worker 1"]);
    assert!(
        run.waits.peak_overlap() <= 2,
        "a pool of 2 holds at most 2 waits:\n{}",
        run.waits.chart(72, 8)
    );
}

#[test]
fn the_drawing_puts_both_runs_on_one_axis_and_measures_its_note() {
    if !course_support::testing::alone_in_process(
        module_path!(),
        "the_drawing_puts_both_runs_on_one_axis_and_measures_its_note",
    ) {
        return;
    }
    let drawing = drawing().expect("the drawn runs succeed");
    assert_eq!(drawing.runs.len(), 2, "before and after");
    let (before, after) = (&drawing.runs[0].1, &drawing.runs[1].1);
    assert_eq!(before.lanes().len(), 2, "a row per pool thread");
    assert_eq!(after.lanes().len(), 8, "a row per cell's wait");
    assert_eq!(after.peak_overlap(), 8);
    assert!(
        drawing.note.contains("8 waits at once, on 1 thread."),
        "{}",
        drawing.note
    );
    let chart = drawing.chart(70, 8);
    assert!(
        chart.lines().all(|line| line.chars().count() <= 70),
        "{chart}"
    );
    assert!(!chart.contains("more lanes"), "{chart}");
}
