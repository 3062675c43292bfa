#!/usr/bin/env bash
# The supply-chain checks (docs/hardening.md, "Supply chain"):
#   1. npm: every devDependency pinned to an exact version, the lock file matching package.json, every locked package
#      from the default registry (registry.npmjs.org) with a sha512 integrity (scripts/setup.sh installs with `npm ci`);
#   2. cargo deny (deny.toml): licenses, bans and sources of the crate's and the fuzz crate's dependency trees;
#   3. cargo deny advisories (RustSec): fetched into $CARGO_HOME/advisory-dbs when online; TACTFUL_OFFLINE=1 reads the
#      copy already there without fetching (--offline) (and fails, saying so, when there is none).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"

node --input-type=module -e '
  import { readFileSync } from "node:fs";
  const pkg = JSON.parse(readFileSync("package.json", "utf8"));
  const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
  const bad = [];
  for (const [name, spec] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
    if (!/^\d+\.\d+\.\d+$/.test(spec)) bad.push(`${name}: "${spec}" is not an exact version`);
    const locked = lock.packages?.[`node_modules/${name}`]?.version;
    if (locked !== spec) bad.push(`${name}: package.json says ${spec}, the lock file ${locked}`);
  }
  let n = 0;
  for (const [path, p] of Object.entries(lock.packages ?? {})) {
    if (!path || p.link) continue;
    n += 1;
    if (!/^sha512-/.test(p.integrity ?? "")) bad.push(`${path}: no sha512 integrity in the lock file`);
    // No `resolved`: the default registry (npm leaves it out then); any other must be registry.npmjs.org.
    if (p.resolved && !p.resolved.startsWith("https://registry.npmjs.org/")) bad.push(`${path}: from ${p.resolved}`);
  }
  if (lock.lockfileVersion < 2) bad.push(`lockfileVersion ${lock.lockfileVersion}`);
  if (bad.length) { console.error(bad.join("\n")); process.exit(1); }
  console.log(`supply: npm: ${n} locked packages, none from another registry, each with a sha512 integrity; devDependencies exact`);
'

# The advisory database (RustSec) is a git repository on github.com: fetched when it can be, else the copy already in
# $CARGO_HOME/advisory-dbs is used. With neither, the advisories are NOT checked and the run says so in capitals;
# TACTFUL_REQUIRE_ADVISORIES=1 (for a machine that can reach github.com) makes that a failure.
dbs="${CARGO_HOME:-$HOME/.cargo}/advisory-dbs"
have_db() { ls "$dbs"/*/crates >/dev/null 2>&1; }
if [ "${TACTFUL_OFFLINE:-0}" != 1 ]; then
  cargo deny --config deny.toml --log-level error fetch db >/dev/null 2>&1 ||
    echo "supply: could not fetch the RustSec advisory database (github.com unreachable?)" >&2
fi

for manifest in Cargo.toml fuzz/Cargo.toml; do
  echo "supply: cargo deny on $manifest: licenses, bans, sources"
  cargo deny --manifest-path "$manifest" --config deny.toml --log-level error --locked check licenses bans sources
  if have_db; then
    echo "supply: cargo deny on $manifest: advisories (database of $(git -C "$(ls -d "$dbs"/*/ | head -n 1)" log -1 \
      --format=%cs 2>/dev/null || echo 'unknown date'))"
    cargo deny --manifest-path "$manifest" --config deny.toml --log-level error --offline --locked check advisories
  elif [ "${TACTFUL_REQUIRE_ADVISORIES:-0}" = 1 ]; then
    echo "supply: no advisory database in $dbs and TACTFUL_REQUIRE_ADVISORIES=1" >&2
    exit 1
  else
    echo "supply: ADVISORIES NOT CHECKED for $manifest: no RustSec database in $dbs (could not fetch one)"
  fi
done
