//! The wasm boundary in headless Chromium.
#![cfg(target_arch = "wasm32")]

mod wasm_boundary;
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn ranking_round_trips_and_matches_the_engine() {
    wasm_boundary::ranking_round_trips_and_matches_the_engine();
}

#[wasm_bindgen_test]
fn profile_round_trips_with_nulls_for_absent_values() {
    wasm_boundary::profile_round_trips_with_nulls_for_absent_values();
}

#[wasm_bindgen_test]
fn js_dates_are_timestamps() {
    wasm_boundary::js_dates_are_timestamps();
}

#[wasm_bindgen_test]
fn every_error_code_reaches_js_with_its_path() {
    wasm_boundary::every_error_code_reaches_js_with_its_path();
}

#[wasm_bindgen_test]
fn the_instance_survives_errors() {
    wasm_boundary::the_instance_survives_errors();
}

#[wasm_bindgen_test]
fn plan_send_round_trips_and_matches_the_engine() {
    wasm_boundary::plan_send_round_trips_and_matches_the_engine();
}

#[wasm_bindgen_test]
fn lint_copy_spans_are_js_string_indices() {
    wasm_boundary::lint_copy_spans_are_js_string_indices();
}

#[wasm_bindgen_test]
fn holdout_lift_and_segments_round_trip() {
    wasm_boundary::holdout_lift_and_segments_round_trip();
}

#[wasm_bindgen_test]
fn messaging_errors_reach_js_with_code_and_path() {
    wasm_boundary::messaging_errors_reach_js_with_code_and_path();
}
