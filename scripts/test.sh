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
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"

total_start=$(date +%s)
bash scripts/build.sh

names=()
results=()

summary() {
  local i
  echo
  echo "== summary ($(($(date +%s) - total_start)) s in all, including set-up and build)"
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
  if [ "$status" -ne 0 ]; then
    results+=("FAILED (exit $status, $(($(date +%s) - start)) s)")
    summary
    echo "test: stopped at the first failing group: $name" >&2
    exit "$status"
  fi
  results+=("ok ($(($(date +%s) - start)) s)")
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
group native cargo test --features cli
group wasm wasm_tests
group e2e node --test tests/e2e/*.test.mjs
group spark bash spark/test.sh
summary
