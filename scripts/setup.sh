#!/usr/bin/env bash
# Installs only what is missing to build and test tactful on Debian 12 (root or sudo), and is fast when nothing is:
#   - the wasm32-unknown-unknown Rust target (rustup)
#   - wasm-bindgen-cli at exactly the wasm-bindgen version in Cargo.lock (cargo install, ~130 s the first time)
#   - Chromium + chromedriver from Debian (only if /usr/bin/chromium or /usr/bin/chromedriver is missing)
#   - the nightly toolchain (minimal profile) and cargo-fuzz, for the fuzz smoke (skipped with TACTFUL_SKIP_FUZZ=1)
#   - cargo-deny, for the supply-chain checks (scripts/supply.sh)
#   - the npm devDependencies (wasm-opt via `binaryen`, playwright-core, typescript, publint, @arethetypeswrong/cli,
#     axe-core for the accessibility tests, vite and @types/node for the examples, tfjs-core and tfjs-backend-wasm
#     for the bench page's comparison)
#     when node_modules is stale
# Needs: rustup/cargo, Node 20.19+ or 22.12+ with npm. Never downloads prebuilt browsers; never installs Debian's binaryen.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"

# step NAME COMMAND...: run one step and print one line with its duration.
step() {
  local name=$1 start end
  shift
  start=$(date +%s%N)
  "$@"
  end=$(date +%s%N)
  printf 'setup: %-22s %s (%d.%01d s)\n' "$name" "$STEP_NOTE" $(((end - start) / 1000000000)) $(((end - start) / 100000000 % 10))
}

need() {
  command -v "$1" >/dev/null 2>&1 || {
    echo "setup: '$1' is not installed; $2" >&2
    exit 1
  }
}
need cargo "install Rust with rustup (https://rustup.rs) first."
need rustup "install Rust with rustup (https://rustup.rs) first."
need node "install Node.js 20 or newer first."
need npm "install npm (it ships with Node.js) first."
# Vite 8, which builds examples/vite in the tests, needs Node 20.19 or newer (22.12 or newer on Node 22).
node -e 'const [a, b] = process.versions.node.split(".").map(Number);
  process.exit((a === 20 && b >= 19) || (a === 22 && b >= 12) || a > 22 ? 0 : 1)' || {
  echo "setup: Node $(node --version) is too old; install Node 20.19+ or 22.12+ first (Vite 8 needs it)." >&2
  exit 1
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

wasm_target() {
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    STEP_NOTE="present"
  else
    rustup target add wasm32-unknown-unknown
    STEP_NOTE="installed"
  fi
}

# clippy and rustfmt check every change in scripts/test.sh; a minimal rustup profile lacks them.
lint_tools() {
  local missing=()
  cargo clippy --version >/dev/null 2>&1 || missing+=(clippy)
  cargo fmt --version >/dev/null 2>&1 || missing+=(rustfmt)
  if [ ${#missing[@]} -eq 0 ]; then
    STEP_NOTE="present"
  else
    rustup component add "${missing[@]}"
    STEP_NOTE="installed ${missing[*]}"
  fi
}

# The CLI must match the wasm-bindgen crate exactly, or the generated glue does not fit the module.
wasm_bindgen_cli() {
  local want have
  [ -f Cargo.lock ] || cargo generate-lockfile || true
  if [ -f Cargo.lock ]; then
    want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
  else
    # No lock file and none can be made yet (e.g. the crate does not parse): use the exact pin in Cargo.toml.
    want=$(sed -n 's/^wasm-bindgen *= *"=\([0-9.]*\)".*/\1/p' Cargo.toml | head -n 1)
  fi
  if [ -z "$want" ]; then
    echo "setup: cannot tell which wasm-bindgen version the crate uses (no Cargo.lock entry, no '=x.y.z' pin)" >&2
    exit 1
  fi
  have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
  if [ "$have" = "$want" ]; then
    STEP_NOTE="$want present"
  else
    # Not --locked: the CLI's own lock file names a webpki-roots version the registry no longer serves.
    cargo install wasm-bindgen-cli --version "$want"
    STEP_NOTE="$want installed${have:+ (replaced $have)}"
  fi
}

chromium() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    STEP_NOTE="present"
  else
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium chromium-driver
    STEP_NOTE="installed"
  fi
}

# npm ci rewrites node_modules/.package-lock.json, so its age tells whether the lock file changed since.
node_modules() {
  if [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ]; then
    STEP_NOTE="present"
  else
    npm ci --no-audit --no-fund
    STEP_NOTE="installed"
  fi
}

# The fuzz targets (fuzz/, scripts/fuzz.sh) need libFuzzer's instrumentation: nightly rustc and cargo-fuzz.
nightly() {
  if rustup toolchain list | grep -q '^nightly'; then
    STEP_NOTE="present"
  else
    rustup toolchain install nightly --profile minimal
    STEP_NOTE="installed"
  fi
}

cargo_fuzz() {
  if cargo +nightly fuzz --version >/dev/null 2>&1; then
    STEP_NOTE="$(cargo +nightly fuzz --version) present"
  else
    cargo install cargo-fuzz --locked
    STEP_NOTE="installed"
  fi
}

cargo_deny() {
  if cargo deny --version >/dev/null 2>&1; then
    STEP_NOTE="$(cargo deny --version) present"
  else
    cargo install cargo-deny --locked
    STEP_NOTE="installed"
  fi
}

STEP_NOTE=""
step "wasm32 target" wasm_target
step "clippy+rustfmt" lint_tools
step "wasm-bindgen-cli" wasm_bindgen_cli
step "chromium+driver" chromium
step "node_modules" node_modules
step "cargo-deny" cargo_deny
if [ "${TACTFUL_SKIP_FUZZ:-0}" != 1 ]; then
  step "nightly toolchain" nightly
  step "cargo-fuzz" cargo_fuzz
fi
