#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| docksmith::fuzzing::run("cargo_manifests", data));
