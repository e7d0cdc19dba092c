//! The memory a waiting cell costs, measured in a fresh process of the demo
//! binary: within the course's budget of 1 KiB per cell.

use std::path::Path;
use std::time::Duration;

use bw60_coroutines::Fanout;
use bw60_coroutines::footprint::probe_in_child;

const EXE: &str = env!("CARGO_BIN_EXE_bw60-coroutines");

#[cfg_attr(windows, ignore = "Windows gives the course no memory figures")]
#[test]
fn a_waiting_cell_costs_less_than_a_kibibyte() {
    for fanout in Fanout::ALL {
        let footprint = probe_in_child(
            Path::new(EXE),
            "tokio",
            fanout,
            (250, 400),
            Duration::from_millis(1),
            1,
        )
        .expect("the probe runs");
        assert_eq!(footprint.cells, 100_000);
        let per_cell = footprint
            .bytes_per_cell()
            .unwrap_or_else(|| panic!("the probe measured no peak: {footprint:?}"));
        assert!(
            per_cell <= 1024.0,
            "{}: {per_cell:.0} bytes per cell",
            footprint.strategy
        );
        // Something was measured: 100,000 futures do not fit in nothing.
        assert!(per_cell >= 64.0, "{footprint:?}");
    }
}

#[cfg_attr(windows, ignore = "Windows gives the course no memory figures")]
#[test]
fn joining_costs_less_per_cell_than_spawning() {
    let probe = |fanout| {
        probe_in_child(
            Path::new(EXE),
            "tokio-current-thread",
            fanout,
            (250, 400),
            Duration::from_millis(1),
            1,
        )
        .expect("the probe runs")
    };
    let measured = |footprint: bw60_coroutines::footprint::Footprint| {
        footprint
            .bytes_per_cell()
            .unwrap_or_else(|| panic!("the probe measured no peak: {footprint:?}"))
    };
    let (spawn, join) = (
        measured(probe(Fanout::Spawn)),
        measured(probe(Fanout::Join)),
    );
    // A spawned cell is the same future plus a task around it.
    assert!(
        join < spawn,
        "join {join:.0} B, spawn {spawn:.0} B per cell"
    );
}
