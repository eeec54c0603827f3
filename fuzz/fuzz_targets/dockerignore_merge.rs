#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| docksmith::fuzzing::run("dockerignore_merge", data));
