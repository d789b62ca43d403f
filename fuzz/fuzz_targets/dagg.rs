//! cargo-fuzz target `dagg`: see `bosun_tests::fuzz::dagg` (tests/fuzz.rs) for what it drives.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| bosun_tests::fuzz::dagg(data));
