//! A missing input is an error naming the file, in every version, and
//! nothing is left waiting.

use std::time::Duration;

use bw62_mix::{Stop, Version};

#[test]
fn a_missing_input_is_named_in_every_version() {
    let dir = tempfile::tempdir().expect("temp dir");
    let present = dir.path().join("present.log");
    std::fs::write(&present, b"present.log 0 ok\n").expect("write");
    let inputs = vec![present, dir.path().join("absent.log")];
    for version in Version::ALL {
        let stop = Stop::new();
        // The present file's tailer keeps following until the signal; raise
        // it so the run can end (after joining that tailer, too).
        stop.raise();
        let output = dir.path().join(format!("merged-{version}.log"));
        let err = version
            .run(&inputs, &output, Duration::from_millis(1), &stop)
            .expect_err("absent.log cannot be opened");
        assert!(err.to_string().contains("absent.log"), "{version}: {err}");
    }
}

#[test]
fn an_unwritable_output_is_named_in_every_version() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("no-such-dir").join("merged.log");
    for version in Version::ALL {
        let err = version
            .run(&[], &output, Duration::from_millis(1), &Stop::new())
            .expect_err("the output's directory does not exist");
        assert!(err.to_string().contains("merged.log"), "{version}: {err}");
    }
}

#[test]
fn unknown_version_names_are_explained() {
    let err = "asyncio".parse::<Version>().expect_err("not a version");
    assert!(
        err.contains("\"asyncio\"") && err.contains("bottom-up"),
        "{err}"
    );
    for version in Version::ALL {
        assert_eq!(version.name().parse::<Version>(), Ok(version));
    }
}
