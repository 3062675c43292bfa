//! The wasm boundary in Node (wasm-bindgen-test's default environment).
#![cfg(target_arch = "wasm32")]

#[macro_use]
mod wasm_boundary;

boundary_tests!(
    ranking_round_trips_and_matches_the_engine,
    profile_round_trips_with_nulls_for_absent_values,
    js_dates_are_timestamps,
    every_error_code_reaches_js_with_its_path,
    the_instance_survives_errors,
    edge_values_reach_js_with_code_and_path,
    plan_send_round_trips_and_matches_the_engine,
    lint_copy_spans_are_js_string_indices,
    holdout_lift_and_segments_round_trip,
    messaging_errors_reach_js_with_code_and_path,
);
