#!/usr/bin/env bash
# Issue 11's benchmarks in one command: every figure of its table, each printed beside its goal.
#
#   bash scripts/bench-issue11.sh            (about 8 minutes on the 2-core machine; run it on an idle machine)
#
# In order, each printing its own figures (the build first, so the native figures are newer than the module and the
# Chromium/native ratio is not marked stale):
#   1. scripts/build.sh              the wasm modules, with their gzip -9 sizes against the budget
#   2. cargo bench --bench issue11   native: rank p50/p95 with and without the 32-dim model, the scan alone, new Engine
#                                    from objects and packed bytes, the scaling table (catalog 1k–200k × history
#                                    10–10k); writes target/issue11-native.json for the ratio
#   3. tactful bench-case            the same case as files (100k products, 32-dim model, 1,000-event history, k = 20;
#                                    and 64 dims), written into www/bench-case/ (not committed: ~100 MB)
#   4. bench-browser.mjs --issue11   Chromium: rank p50/p95, the share reading the request, new Engine(packed), the
#                                    Chromium/native ratio, the Worker, the scan beside tfjs-backend-wasm and plain JS
#   5. bench-load.mjs                Chromium, fresh pages: the first packed load, WorkerEngine.create, wasm memory
# The README's "Size and speed" table is made from one run of this.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"

start=$(date +%s)
step() { echo; echo "== bench-issue11: $* ($(($(date +%s) - start)) s in)"; }

step "1/5 build (the module sizes)"
bash scripts/build.sh

step "2/5 native (cargo bench --features cli --bench issue11)"
cargo bench --features cli --bench issue11

step "3/5 the case as files (www/bench-case/)"
cargo run --release --features cli -- bench-case --out www/bench-case
cargo run --release --features cli -- bench-case --dim 64 --out www/bench-case/dim64

step "4/5 Chromium: the issue's case on the bench page"
node scripts/bench-browser.mjs --issue11

step "5/5 Chromium: fresh pages"
node scripts/bench-load.mjs

gz=$(gzip -9c pkg/tactful_bg.wasm | wc -c)
echo
echo "== bench-issue11: done in $(($(date +%s) - start)) s. The goals are beside each figure above; the size:"
awk -v b="$gz" 'BEGIN { printf "   pkg/tactful_bg.wasm: %d bytes gzip -9 (%.1f KiB)   goal <= 80 KB, 80,000 bytes (%s)\n", b, b / 1024,
  (b <= 80000 ? "met" : "not met") }'
