#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| docksmith::fuzzing::run("node_manifests", data));
