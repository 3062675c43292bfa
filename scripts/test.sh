#!/usr/bin/env bash
# Runs every test of tactful, installing what is missing and building first. Stops at the first failing group.
#   0. lint:    cargo fmt --check; cargo clippy -D warnings, native (with the cli feature) and wasm32
#   1. native:  cargo test --features cli (unit, integration and doc tests, and the native tool's)
#   2. wasm:    cargo test --target wasm32-unknown-unknown --tests (tests/wasm_node.rs in Node, tests/wasm_browser.rs
#               in headless Chromium through chromedriver; extra Chromium flags in webdriver.json)
#   3. e2e:     node --test tests/e2e/*.test.mjs (the demo store in Chromium via playwright-core; the packed npm
#               package installed into examples/vite, examples/page and Node scripts; needs the native tool, which
#               the native group has built)
#   4. spark:   bash spark/test.sh (the Spark model build equals the Rust one on both dev data sets, in local[2];
#               installs pyspark into a venv outside the work tree only when missing; needs Java 17)
#   0b. supply: bash scripts/supply.sh (cargo deny: licenses, bans, sources, RustSec advisories; the npm lock file)
#   5. fuzz:    bash scripts/fuzz.sh (every fuzz target 10 s from its committed corpus; nightly + cargo-fuzz;
#               TACTFUL_SKIP_FUZZ=1 skips it where nightly cannot be installed, and the summary says so)
# Each stage (setup, build and every group) has a time budget in seconds (BUDGET below); the summary prints each
# stage's time against it, "under" or "OVER", and the total against CI's 90 minutes. Budgets are printed, not
# enforced: machines differ, and a timed assertion would fail on a busy one.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"

# Seconds per stage, measured on a fresh 2-core machine with room to spare (docs/hardening.md, "CI budgets").
# They add up to 4,560 s (76 min), inside CI's 90 minutes even if every stage used all of its budget.
declare -A BUDGET=([setup]=900 [build]=360 [lint]=360 [native]=480 [wasm]=480 [e2e]=480 [spark]=480 [fuzz]=900 [supply]=120)
CI_LIMIT=5400

names=()
results=()

# verdict NAME SECONDS: "budget B s, under" or "budget B s, OVER".
verdict() {
  local b=${BUDGET[$1]:-0}
  if [ "$b" -eq 0 ]; then echo "no budget"; elif [ "$2" -le "$b" ]; then echo "budget $b s, under"; else
    echo "budget $b s, OVER"; fi
}

# stage NAME COMMAND...: a step before the test groups (installs, build), timed against its budget.
stage() {
  local name=$1 start took
  shift
  start=$(date +%s)
  "$@"
  took=$(($(date +%s) - start))
  names+=("$name")
  results+=("ok ($took s; $(verdict "$name" "$took"))")
  echo "== $name: $took s ($(verdict "$name" "$took"))"
}

total_start=$(date +%s)
stage setup bash scripts/setup.sh
stage build bash scripts/build.sh

summary() {
  local i
  echo
  local total=$(($(date +%s) - total_start))
  echo "== summary ($total s in all, including set-up and build; CI allows $CI_LIMIT s: $([ "$total" -le "$CI_LIMIT" ] &&
    echo under || echo OVER))"
  for i in "${!names[@]}"; do
    printf '   %-8s %s\n' "${names[$i]}" "${results[$i]}"
  done
}

# group NAME COMMAND...: runs one test group under a header; on failure prints the summary and exits.
group() {
  local name=$1 start status=0
  shift
  echo
  echo "== $name: $*"
  start=$(date +%s)
  "$@" || status=$?
  names+=("$name")
  local took=$(($(date +%s) - start))
  if [ "$status" -ne 0 ]; then
    results+=("FAILED (exit $status, $took s)")
    summary
    echo "test: stopped at the first failing group: $name" >&2
    exit "$status"
  fi
  results+=("ok ($took s; $(verdict "$name" "$took"))")
}

# chromedriver leaves ~12 MB under $TMPDIR per run: give the wasm run its own and remove it afterwards.
wasm_tests() {
  local tmp status=0
  tmp=$(mktemp -d)
  echo "   (TMPDIR=$tmp CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --tests)"
  # Never -q here: cargo forwards it to wasm-bindgen-test-runner, which rejects it.
  TMPDIR="$tmp" CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 \
    cargo test --target wasm32-unknown-unknown --tests || status=$?
  rm -rf "$tmp"
  return "$status"
}

lint() {
  cargo fmt --check
  cargo clippy --all-targets --features cli -- -D warnings
  cargo clippy --target wasm32-unknown-unknown --lib --tests -- -D warnings
  # Each wasm module alone, as scripts/build.sh builds it.
  cargo clippy --target wasm32-unknown-unknown --lib --no-default-features --features rank-api -- -D warnings
  cargo clippy --target wasm32-unknown-unknown --lib --no-default-features --features message-api -- -D warnings
}

group lint lint
group supply bash scripts/supply.sh
group native cargo test --features cli
group wasm wasm_tests
group e2e node --test tests/e2e/*.test.mjs
group spark bash spark/test.sh
if [ "${TACTFUL_SKIP_FUZZ:-0}" = 1 ]; then
  names+=(fuzz)
  results+=("SKIPPED (TACTFUL_SKIP_FUZZ=1: no fuzz smoke ran)")
else
  group fuzz bash scripts/fuzz.sh
fi
summary
