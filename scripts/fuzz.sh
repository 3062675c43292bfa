#!/usr/bin/env bash
# Runs tactful's fuzz targets (fuzz/: cargo-fuzz + libFuzzer, nightly Rust, AddressSanitizer, debug assertions and
# overflow checks on), one target after the other, one libFuzzer job each (the machine may be shared).
#
#   bash scripts/fuzz.sh                       the CI smoke: every target FUZZ_SECONDS (default 10) from its committed
#                                              corpus; new inputs go to a scratch folder, the corpus is left as it is
#   FUZZ_SECONDS=1800 bash scripts/fuzz.sh --log --grow rank profile
#                                              long runs: --log appends each run's figures to docs/fuzzing.md, --grow
#                                              keeps the new inputs in fuzz/corpus/<target>
#   bash scripts/fuzz.sh --minimize            shrinks each committed corpus to the inputs that add coverage
#   FUZZ_RUNS=10000000 FUZZ_SECONDS=3600 FUZZ_SANITIZER=none bash scripts/fuzz.sh --log --grow products
#                                              stops each target after FUZZ_RUNS executions or FUZZ_SECONDS, whichever
#                                              comes first; FUZZ_SANITIZER=none builds without AddressSanitizer (about
#                                              6x the executions per second; the unsafe blocks' preconditions are still
#                                              checked by debug assertions); the log row names the sanitizer
#
# Any crash, timeout (one input over 10 s) or out-of-memory (over 2 GB) stops with libFuzzer's exit status; the input
# is in fuzz/artifacts/<target>/ (replay: cargo +nightly fuzz run <target> fuzz/artifacts/<target>/<file>).
# Needs nightly and cargo-fuzz: scripts/setup.sh installs them.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"

TARGETS=(products history preferences policy model packed rank profile message)
seconds=${FUZZ_SECONDS:-10}
runs=${FUZZ_RUNS:--1}
sanitizer=${FUZZ_SANITIZER:-address}
case $sanitizer in
  address | none) ;;
  *)
    echo "fuzz: FUZZ_SANITIZER is address or none, not $sanitizer" >&2
    exit 2
    ;;
esac
log=0
grow=0
minimize=0
chosen=()
for arg in "$@"; do
  case $arg in
    --log) log=1 ;;
    --grow) grow=1 ;;
    --minimize) minimize=1 ;;
    -*)
      echo "fuzz: unknown option $arg" >&2
      exit 2
      ;;
    *) chosen+=("$arg") ;;
  esac
done
[ ${#chosen[@]} -gt 0 ] || chosen=("${TARGETS[@]}")

start=$(date +%s)
cargo +nightly fuzz build -s "$sanitizer"
echo "fuzz: built the targets, sanitizer $sanitizer ($(($(date +%s) - start)) s)"

count() { find "$1" -maxdepth 1 -name "$2-*" 2>/dev/null | wc -l; }

for target in "${chosen[@]}"; do
  corpus=fuzz/corpus/$target
  mkdir -p "$corpus" "fuzz/artifacts/$target"
  if [ "$minimize" -eq 1 ]; then
    cargo +nightly fuzz cmin -s "$sanitizer" "$target" "$corpus" >/dev/null 2>&1
    echo "fuzz: $target: corpus minimized to $(find "$corpus" -type f | wc -l) inputs, $(du -sh "$corpus" | cut -f1)"
    continue
  fi
  if [ "$grow" -eq 1 ]; then dirs=("$corpus"); else
    scratch=$(mktemp -d)
    dirs=("$scratch" "$corpus")
  fi
  art=fuzz/artifacts/$target
  before_crash=$(count "$art" crash)
  before_timeout=$(count "$art" timeout)
  before_oom=$(count "$art" oom)
  out=$(mktemp)
  status=0
  cargo +nightly fuzz run -s "$sanitizer" "$target" "${dirs[@]}" -- -max_total_time="$seconds" -runs="$runs" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 >"$out" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out" | tail -n 1)
  cov=$(grep -oE 'cov: [0-9]+' "$out" | tail -n 1 | cut -d' ' -f2)
  crashes=$(($(count "$art" crash) - before_crash))
  timeouts=$(($(count "$art" timeout) - before_timeout))
  ooms=$(($(count "$art" oom) - before_oom))
  took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$out" | tail -n 1)
  printf 'fuzz: %-12s %5s s  %10s executions (%s/s)  coverage %s  crashes %d  timeouts %d  OOM %d  exit %d\n' \
    "$target" "${took:-$seconds}" "${execs:-?}" "${rate:-?}" "${cov:-?}" "$crashes" "$timeouts" "$ooms" "$status"
  if [ "$log" -eq 1 ]; then
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$(date -u +%Y-%m-%d)" "$target" "$sanitizer" \
      "${took:-$seconds}" "${execs:-?}" "$crashes" "$timeouts" "$ooms" "${cov:-?}" >>docs/fuzzing.md
  fi
  [ "$grow" -eq 1 ] || rm -rf "$scratch"
  if [ "$status" -ne 0 ]; then
    tail -n 60 "$out" >&2
    rm -f "$out"
    echo "fuzz: $target failed (exit $status); the input is in $art" >&2
    exit "$status"
  fi
  rm -f "$out"
done
echo "fuzz: done ($(($(date +%s) - start)) s)"
