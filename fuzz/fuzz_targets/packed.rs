#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| tactful_fuzz::packed(data));
