//! The pipelines on a timeline: a `stage job` span for every item a stage's
//! worker handles, a lane per worker, in-process and in the Chrome trace
//! file `--trace` writes.

use std::collections::BTreeMap;

use bw55_queue::drawn::{DRAWN_ITEMS, DRAWN_WORKERS};
use course_support::testing::traced_run;
use course_support::timeline::Timeline;

const EXE: &str = env!("CARGO_BIN_EXE_bw55-queue");

/// Jobs per stage, the stage read from the lane (`resize #1`).
fn jobs_per_stage(timeline: &Timeline) -> BTreeMap<String, usize> {
    let mut jobs = BTreeMap::new();
    for interval in timeline.intervals() {
        let stage = interval
            .lane
            .rsplit_once(" #")
            .map_or("(not a stage worker)", |(stage, _)| stage);
        *jobs.entry(stage.to_owned()).or_default() += 1;
    }
    jobs
}

/// The lanes a run with `workers` per stage should draw, sorted.
fn worker_lanes(workers: [usize; 3]) -> Vec<String> {
    let mut lanes: Vec<String> = ["download", "resize", "upload"]
        .iter()
        .zip(workers)
        .flat_map(|(stage, n)| (0..n).map(move |i| format!("{stage} #{i}")))
        .collect();
    lanes.sort_unstable();
    lanes
}

#[test]
fn every_drawn_worker_is_a_lane_and_every_item_passes_each_stage_once() {
    // The recorder keeps every span in the process: no other test's
    // pipeline may run beside the drawn ones.
    if !course_support::testing::alone_in_process(
        module_path!(),
        "every_drawn_worker_is_a_lane_and_every_item_passes_each_stage_once",
    ) {
        return;
    }
    let drawing = bw55_queue::drawing().expect("the drawn runs deliver every item");
    let [(_, polling), (_, channels)] = &drawing.runs[..] else {
        panic!("two runs drawn, polling then channels: {drawing:?}");
    };
    let items = usize::try_from(DRAWN_ITEMS).expect("a small count");
    let once_each: BTreeMap<String, usize> = ["download", "resize", "upload"]
        .iter()
        .map(|stage| ((*stage).to_owned(), items))
        .collect();
    for (run, workers) in [(polling, [1, 1, 1]), (channels, DRAWN_WORKERS)] {
        let chart = drawing.chart(72, 8);
        let mut lanes = run.lanes();
        lanes.sort_unstable();
        assert_eq!(lanes, worker_lanes(workers), "a lane per worker:\n{chart}");
        assert_eq!(
            jobs_per_stage(run),
            once_each,
            "every item once per stage:\n{chart}"
        );
    }
    // While resize works on one photo, download fetches the next: the
    // stages overlap. Two resize workers and a download outlast 1 ms apart.
    assert!(
        channels.peak_overlap() > 1,
        "stage jobs never overlapped:\n{}",
        drawing.chart(72, 8)
    );
    assert!(
        drawing.note.contains(&format!(
            "{} lanes, at most {} jobs at once",
            channels.lanes().len(),
            channels.peak_overlap()
        )),
        "the note is measured from the runs: {}",
        drawing.note
    );
}

#[test]
fn the_trace_file_has_a_stage_job_for_every_item_of_every_stage() {
    let (book_items, items) = (20, 50);
    let (_, trace) = traced_run(
        EXE,
        &[
            "--book-items",
            &book_items.to_string(),
            "--items",
            &items.to_string(),
            "--workers",
            "2,2,2",
        ],
    );
    assert!(trace.names().contains(&"stage job"), "{:?}", trace.names());
    // Steps 1 and 2 alone run two polling pipelines each over all their
    // items, and the drawing two more; the other steps add to that.
    let at_least = 3 * (2 * book_items + 2 * items + 2 * DRAWN_ITEMS);
    let jobs = trace.count("stage job");
    assert!(
        jobs >= usize::try_from(at_least).expect("small"),
        "{jobs} stage jobs, expected at least {at_least}"
    );
    // Each run starts threads of its own, so there are many lanes; the
    // drawn channel run alone has one per worker.
    assert!(
        trace.lanes("stage job") >= DRAWN_WORKERS.iter().sum::<usize>(),
        "{trace:?}"
    );
    assert!(
        trace.peak("stage job") > 1,
        "stages never overlapped: {trace:?}"
    );
}

#[test]
fn a_trace_file_that_cannot_be_written_stops_the_run_before_any_work() {
    course_support::testing::refuses_an_unwritable_trace(EXE, &[]);
}
