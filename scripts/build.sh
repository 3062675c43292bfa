#!/usr/bin/env bash
# Builds the npm package into pkg/, two wasm modules, each rustc (release, wasm32) -> wasm-bindgen (--target web) ->
# wasm-opt -Oz: pkg/tactful.js + tactful_bg.wasm (the Engine: ranking and profile) and pkg/tactful_message.js +
# tactful_message_bg.wasm (the messaging helpers); the glue wasm-bindgen writes goes to NAME_glue.js, under the
# hand-written entries pkg/tactful.js and pkg/tactful_message.js (coded errors before init(), after free()). Prints
# each module's raw and gzip -9 size and fails when either is over its budget.
set -euo pipefail

# Gzipped size budgets, in bytes: the ranking module (pkg/tactful_bg.wasm, 150 KB; the goal is 80 KB) and the
# messaging module (pkg/tactful_message_bg.wasm, 80 KB: it carries its own copy of the input reader and the output
# serializer). CI uses these defaults; an environment value of the same name overrides one for a local experiment.
GZIP_BUDGET_BYTES=${GZIP_BUDGET_BYTES:-153600}
MESSAGE_GZIP_BUDGET_BYTES=${MESSAGE_GZIP_BUDGET_BYTES:-81920}

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

# module NAME FEATURE TARGET_DIR: one wasm module of the package, built with only its own API, so each page downloads
# only what it calls (a store page never loads messaging). Made in a staging folder and copied into pkg/ only once all
# of it worked, so a failed run never leaves an unoptimised module in pkg/ that looks up to date. wasm-bindgen and
# wasm-opt (~10 s) run only when rustc's output or this script changed since pkg/ was made.
module() {
  local name=$1 feature=$2 dir=$3 wasm stage features
  timed "cargo $name" cargo build --release --target wasm32-unknown-unknown --lib --no-default-features \
    --features "$feature" --target-dir "$dir"
  wasm=$dir/wasm32-unknown-unknown/release/tactful.wasm
  if [ -f "pkg/${name}_glue.js" ] && [ "pkg/${name}_bg.wasm" -nt "$wasm" ] && [ "pkg/${name}_bg.wasm" -nt scripts/build.sh ]; then
    echo "build: pkg/${name}_bg.wasm is up to date with $wasm"
    return
  fi
  stage=$(mktemp -d)
  timed "wasm-bindgen" wasm-bindgen --target web --out-dir "$stage" --out-name "$name" "$wasm"
  # The glue goes to NAME_glue.js: pkg/NAME.js is the hand-written entry that wraps it (coded errors before init(),
  # after free()); NAME.d.ts describes that entry, whose exports are the glue's.
  mv "$stage/$name.js" "$stage/${name}_glue.js"
  # The types use Symbol.dispose (`using engine = new Engine(…)`): reference its lib, so that a consumer whose
  # tsconfig has "target": "es2022" and no esnext "lib" type-checks them (with skipLibCheck off) as they are.
  if grep -q 'Symbol.dispose' "$stage/$name.d.ts"; then
    sed -i '1i /// <reference lib="esnext.disposable" />' "$stage/$name.d.ts"
  fi
  # The constructor takes objects with any options, or packed bytes with the policy only (the bytes carry their
  # model; a model beside them is refused): two overloads, so the types promise nothing the engine refuses.
  if [ "$name" = tactful ]; then
    local one='constructor(catalog: Product[] | Uint8Array, options?: EngineOptions | null);'
    grep -qF "$one" "$stage/$name.d.ts" || { echo "build: the Engine constructor's declaration changed; update the overloads" >&2; exit 1; }
    sed -i "s/constructor(catalog: Product\[\] | Uint8Array, options?: EngineOptions | null);/constructor(catalog: Product[], options?: EngineOptions | null);\n  constructor(packed: Uint8Array, options?: PackedEngineOptions | null);/" "$stage/$name.d.ts"
  fi
  features=$(wasm_opt_features)
  mapfile -t features <<<"$features"
  # The name, producers and target_features sections are not needed at run time: strip them here, after
  # wasm-bindgen has read target_features (which is why the release profile should not strip it away earlier).
  # --low-memory-unused lets wasm-opt fold a constant below 1,024 into a load or store's offset (`load(p + 8)` becomes
  # `load offset=8 (p)`), which it otherwise may not: the two differ only when `p + 8` wraps past 4 GiB into the first
  # KiB, which no Rust pointer does (0.9 KB gzip off the ranking module; docs/performance.md, the module's weight).
  timed "wasm-opt" node_modules/.bin/wasm-opt -Oz --low-memory-unused "${features[@]}" --strip-debug --strip-producers \
    --strip-target-features "$stage/${name}_bg.wasm" -o "$stage/${name}_bg.wasm"
  rm -rf pkg/snippets
  cp -R "$stage"/. pkg/
  rm -rf "$stage"
}

# size NAME BUDGET: prints the module's raw and gzip -9 size (the budget is on gzip -9 bytes), then the sizes as a
# bundler prints them (kB = 1000 bytes; gzip at zlib's default level, as Vite reports it; brotli at quality 11, as a
# server or CDN precompresses), and returns 1 over budget.
size() {
  local name=$1 budget=$2 raw gz
  raw=$(wc -c <"pkg/${name}_bg.wasm")
  gz=$(gzip -9c "pkg/${name}_bg.wasm" | wc -c)
  awk -v name="$name" -v raw="$raw" -v gz="$gz" -v budget="$budget" 'BEGIN {
    printf "build: pkg/%s_bg.wasm: %d bytes raw (%.1f KB), %d bytes gzip -9 (%.1f KB; budget %.1f KB)\n",
      name, raw, raw / 1024, gz, gz / 1024, budget / 1024 }'
  node -e '
    const zlib = require("node:zlib");
    const bytes = require("node:fs").readFileSync(process.argv[1]);
    const kB = (n) => (n / 1000).toFixed(2) + " kB";
    console.log(`build:   as a bundler prints it: ${kB(bytes.length)} | gzip: ${kB(zlib.gzipSync(bytes).length)} | ` +
      `brotli: ${kB(zlib.brotliCompressSync(bytes).length)} (budget ${kB(Number(process.argv[2]))} at gzip -9)`);
  ' "pkg/${name}_bg.wasm" "$budget"
  if [ "$gz" -gt "$budget" ]; then
    echo "build: FAILED: pkg/${name}_bg.wasm is $gz bytes gzipped, over its budget of $budget bytes" >&2
    return 1
  fi
}

module tactful rank-api target
# Its own target folder: the two feature sets would otherwise rebuild each other's crate on every run.
module tactful_message message-api target/message
# The licence texts ship in the tarball (package.json's "files"); copied, so the repository keeps one of each.
cp LICENSE-MIT LICENSE-APACHE pkg/
# Subresource Integrity: the pages' script and stylesheet tags and the hashes of what they fetch (the wasm changed).
node scripts/sri.mjs
over=0
size tactful "$GZIP_BUDGET_BYTES" || over=1
size tactful_message "$MESSAGE_GZIP_BUDGET_BYTES" || over=1
exit "$over"
