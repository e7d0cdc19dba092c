//! Threads and processes behind one interface: code written once against
//! `Executor` runs on either, with the same results.

use std::path::Path;

use bw64_parallel::{Executor, NUMBERS, ProcessPoolExecutor, ThreadPoolExecutor, serial};

/// Written once, against the interface only.
fn divisors(executor: &mut impl Executor) -> Vec<u64> {
    executor.map(&NUMBERS).expect("every worker answers")
}

#[test]
fn switching_executors_is_one_line_and_changes_no_result() {
    let expected = serial(&NUMBERS);
    for workers in [1, 2, 3] {
        let mut executor = ThreadPoolExecutor::new(workers);
        assert_eq!(divisors(&mut executor), expected, "{workers} threads");

        let program = Path::new(env!("CARGO_BIN_EXE_bw64-parallel"));
        let mut executor =
            ProcessPoolExecutor::new(workers, program, &["--gcd-worker"]).expect("workers start");
        assert_eq!(executor.pids().len(), workers);
        assert_eq!(divisors(&mut executor), expected, "{workers} processes");
        executor.shutdown().expect("every worker exits cleanly");
    }
}

#[test]
fn both_executors_serve_a_trait_object() {
    let program = Path::new(env!("CARGO_BIN_EXE_bw64-parallel"));
    let mut executors: Vec<Box<dyn Executor>> = vec![
        Box::new(ThreadPoolExecutor::new(2)),
        Box::new(ProcessPoolExecutor::new(2, program, &["--gcd-worker"]).expect("workers start")),
    ];
    let small = [(12, 18), (7, 5), (100, 75)];
    for executor in &mut executors {
        assert_eq!(executor.map(&small).expect("map"), [6, 1, 25]);
        assert_eq!(executor.map(&[]).expect("map"), Vec::<u64>::new());
    }
}
