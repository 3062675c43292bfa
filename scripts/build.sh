#!/usr/bin/env bash
# Builds the npm package into pkg/: rustc (release, wasm32) -> wasm-bindgen (--target web) -> wasm-opt -Oz.
# Prints the raw and gzip -9 size of pkg/tactful_bg.wasm and fails when the gzipped size is over budget.
set -euo pipefail

# Gzipped size budget for pkg/tactful_bg.wasm, in bytes (150 KB). CI uses this default; an environment value of the
# same name overrides it for a local experiment.
GZIP_BUDGET_BYTES=${GZIP_BUDGET_BYTES:-153600}

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"

bash scripts/setup.sh

# Binaryen must be told every wasm feature rustc may emit, or it fails validation; never --all-features (Node and
# Chromium reject what that produces). The base set is rustc 1.95's wasm32 default (binaryen's bulk-memory implies
# bulk-memory-opt). Features turned on through RUSTFLAGS or .cargo/config.toml (e.g. target-feature=+simd128) are
# read back from rustc and mapped to binaryen's names; an unmapped one stops the build rather than guessing.
wasm_opt_features() {
  # --enable-simd always: the discovery scan (src/engine/scan.rs) enables simd128 on its own functions.
  local flags=(--enable-bulk-memory --enable-mutable-globals --enable-multivalue --enable-nontrapping-float-to-int
    --enable-reference-types --enable-sign-ext --enable-simd)
  local codegen=() setting feature
  for setting in $(grep -hoE 'target-(feature|cpu)=[^" ]+' .cargo/config.toml 2>/dev/null || true) \
    $(grep -oE 'target-(feature|cpu)=[^" ]+' <<<"${RUSTFLAGS:-} ${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS:-}" || true); do
    codegen+=(-C "$setting")
  done
  for feature in $(rustc --print cfg --target wasm32-unknown-unknown "${codegen[@]}" |
    sed -n 's/^target_feature="\(.*\)"$/\1/p'); do
    case $feature in
      bulk-memory | bulk-memory-opt | mutable-globals | multivalue | nontrapping-fptoint | reference-types | sign-ext) ;;
      call-indirect-overlong) flags+=(--enable-call-indirect-overlong) ;;
      simd128) flags+=(--enable-simd) ;;
      relaxed-simd) flags+=(--enable-relaxed-simd) ;;
      tail-call) flags+=(--enable-tail-call) ;;
      extended-const) flags+=(--enable-extended-const) ;;
      exception-handling) flags+=(--enable-exception-handling) ;;
      multimemory) flags+=(--enable-multimemory) ;;
      *)
        echo "build: rustc enables wasm feature '$feature', which scripts/build.sh does not map to wasm-opt" >&2
        return 1
        ;;
    esac
  done
  printf '%s\n' "${flags[@]}"
}

timed() {
  local name=$1 start end
  shift
  start=$(date +%s%N)
  "$@"
  end=$(date +%s%N)
  printf 'build: %-14s (%d.%01d s)\n' "$name" $(((end - start) / 1000000000)) $(((end - start) / 100000000 % 10))
}

timed "cargo build" cargo build --release --target wasm32-unknown-unknown --lib
wasm=target/wasm32-unknown-unknown/release/tactful.wasm
# wasm-bindgen and wasm-opt (~10 s) only when rustc's output or this script changed since pkg/ was made.
if [ -f pkg/tactful.js ] && [ pkg/tactful_bg.wasm -nt "$wasm" ] && [ pkg/tactful_bg.wasm -nt scripts/build.sh ]; then
  echo "build: pkg/ is up to date with $wasm"
else
  # Made in a staging folder and copied into pkg/ only once all of it worked, so a failed run never leaves an
  # unoptimised module in pkg/ that looks up to date.
  stage=$(mktemp -d)
  trap 'rm -rf "$stage"' EXIT
  timed "wasm-bindgen" wasm-bindgen --target web --out-dir "$stage" --out-name tactful "$wasm"
  features=$(wasm_opt_features)
  mapfile -t features <<<"$features"
  # The name, producers and target_features sections are not needed at run time: strip them here, after
  # wasm-bindgen has read target_features (which is why the release profile should not strip it away earlier).
  timed "wasm-opt" node_modules/.bin/wasm-opt -Oz "${features[@]}" --strip-debug --strip-producers \
    --strip-target-features "$stage/tactful_bg.wasm" -o "$stage/tactful_bg.wasm"
  rm -rf pkg/snippets
  cp -R "$stage"/. pkg/
fi

raw=$(wc -c <pkg/tactful_bg.wasm)
gz=$(gzip -9c pkg/tactful_bg.wasm | wc -c)
awk -v raw="$raw" -v gz="$gz" -v budget="$GZIP_BUDGET_BYTES" 'BEGIN {
  printf "build: pkg/tactful_bg.wasm: %d bytes raw (%.1f KB), %d bytes gzip -9 (%.1f KB; budget %.1f KB)\n",
    raw, raw / 1024, gz, gz / 1024, budget / 1024 }'
if [ "$gz" -gt "$GZIP_BUDGET_BYTES" ]; then
  echo "build: FAILED: gzipped wasm is $gz bytes, over the budget of $GZIP_BUDGET_BYTES bytes" >&2
  exit 1
fi
