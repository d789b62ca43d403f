//! cargo-fuzz target `lint`: see `bosun_tests::fuzz::lint` (tests/fuzz.rs) for what it drives.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bosun_tests::fuzz::lint(data));
