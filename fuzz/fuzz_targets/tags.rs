//! cargo-fuzz target `tags`: see `bosun_tests::fuzz::tags` (tests/fuzz.rs) for what it drives.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bosun_tests::fuzz::tags(data));
