#!/usr/bin/env bash
# The supply-chain checks (docs/hardening.md, "Supply chain"):
#   1. npm: every devDependency pinned to an exact version, the lock file matching package.json, every locked package
#      from the default registry (registry.npmjs.org) with a sha512 integrity (scripts/setup.sh installs with `npm ci`);
#   2. cargo deny (deny.toml): licenses, bans and sources of the crate's and the fuzz crate's dependency trees;
#   3. cargo deny advisories (RustSec): fetched into $CARGO_HOME/advisory-dbs when online; TACTFUL_OFFLINE=1 reads the
#      copy already there without fetching (and fails, saying so, when there is none).
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

fetch=()
if [ "${TACTFUL_OFFLINE:-0}" = 1 ]; then
  fetch=(--disable-fetch)
  if ! ls "${CARGO_HOME:-$HOME/.cargo}"/advisory-dbs/*/crates >/dev/null 2>&1; then
    echo "supply: TACTFUL_OFFLINE=1 and no advisory database in ${CARGO_HOME:-$HOME/.cargo}/advisory-dbs: advisories NOT checked" >&2
    exit 1
  fi
fi

for manifest in Cargo.toml fuzz/Cargo.toml; do
  echo "supply: cargo deny on $manifest"
  cargo deny --manifest-path "$manifest" --log-level error check --config deny.toml licenses bans sources
  cargo deny --manifest-path "$manifest" --log-level error check --config deny.toml "${fetch[@]}" advisories
done
