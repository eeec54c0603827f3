//! Replays every input under `fuzz/regressions/<target>/` through the same entry point
//! the fuzz target uses (`docksmith::fuzzing::run`): the inputs that once crashed or
//! hung a target, and the hostile shapes the issue named. Each runs on a thread with a
//! 2 MiB stack (smaller than a main thread's), so deep nesting must not recurse
//! without bound, and must answer within a second.

use std::time::{Duration, Instant};

#[test]
fn every_fuzz_regression_input_runs_without_panic_on_a_small_stack() {
    let root = crate::common::repo().join("fuzz/regressions");
    let mut replayed = Vec::new();
    for target in std::fs::read_dir(&root).unwrap() {
        let target = target.unwrap().path();
        let name = target.file_name().unwrap().to_string_lossy().into_owned();
        for input in std::fs::read_dir(&target).unwrap() {
            let input = input.unwrap().path();
            let data = std::fs::read(&input).unwrap();
            let (target_name, label) = (name.clone(), input.display().to_string());
            let started = Instant::now();
            std::thread::Builder::new()
                .stack_size(2 << 20)
                .spawn(move || docksmith::fuzzing::run(&target_name, &data))
                .unwrap()
                .join()
                .unwrap_or_else(|_| panic!("{label} panics"));
            let took = started.elapsed();
            assert!(took < Duration::from_secs(1), "{label} took {took:?}");
            replayed.push(label);
        }
    }
    assert!(replayed.len() >= 10, "only {} inputs", replayed.len());
    eprintln!("fuzz regressions: {} inputs replayed", replayed.len());
}
