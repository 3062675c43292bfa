//! The guardrail, scenario and cleaning tests again, compiled to wasm and run in headless Chromium (in Node they run
//! as their own test binaries under `--target wasm32-unknown-unknown`): what holds natively holds in the browser.
#![cfg(target_arch = "wasm32")]
// Each included file declares `mod common;` for its own binary; here they share one binary.
#![allow(clippy::duplicate_mod)]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "clean_profile.rs"]
mod clean_profile;
#[path = "guardrails.rs"]
mod guardrails;
#[path = "scenarios.rs"]
mod scenarios;
