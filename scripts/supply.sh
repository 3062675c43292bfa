#!/usr/bin/env bash
# The supply-chain checks (docs/hardening.md, "Supply chain"):
#   1. npm: every devDependency pinned to an exact version, the lock file matching package.json, every locked package
#      from the default registry (registry.npmjs.org) with a sha512 integrity (scripts/setup.sh installs with `npm ci`);
#   2. cargo deny (deny.toml): licenses, bans and sources of the crate's and the fuzz crate's dependency trees;
#   3. cargo deny advisories (RustSec): fetched into $CARGO_HOME/advisory-dbs when online (TACTFUL_OFFLINE=1 reads the
#      copy already there without fetching); without one, against the committed snapshot in data/advisory-db, with its
#      age printed, after proving on a made-up advisory that this path can fail.
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

# Without a fetched database, the committed snapshot (data/advisory-db, scripts/advisory-snapshot.sh) is checked
# against, as a git repository made here with the snapshot's own date, so the run prints its true age. It must have
# been taken for every crate the lock files name.
snapshot=data/advisory-db
snap_root=""
if ! have_db && [ -f "$snapshot/SNAPSHOT" ]; then
  missing=$(comm -23 <(sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.lock fuzz/Cargo.lock | sort -u) \
    <(sed -n 's/^crates //p' "$snapshot/SNAPSHOT" | tr ' ' '\n' | sort -u))
  if [ -n "$missing" ]; then
    echo "supply: the advisory snapshot was not taken for these crates (new dependencies?): $(echo $missing)" >&2
    echo "supply: refresh it: bash scripts/advisory-snapshot.sh PATH-TO-ADVISORY-DB-CHECKOUT" >&2
    exit 1
  fi
  snap_date=$(sed -n 's/^date //p' "$snapshot/SNAPSHOT")
  snap_root=$(mktemp -d)
  trap 'rm -rf "$snap_root"' EXIT
  # cargo-deny looks for the database in <db-path>/<name>-<hash of its URL> (advisories/helpers/db.rs).
  repo="$snap_root/advisory-db-3157b0e258782691"
  mkdir -p "$repo"
  cp -r "$snapshot/crates" "$repo/crates"
  git -C "$repo" init -q
  git -C "$repo" add -A
  GIT_AUTHOR_DATE="$snap_date" GIT_COMMITTER_DATE="$snap_date" git -C "$repo" -c user.name=tactful \
    -c user.email=tactful@localhost commit -q -m "RustSec advisories, snapshot $(sed -n 's/^commit //p' "$snapshot/SNAPSHOT")"
  # The snapshot is old by design: its age is printed instead of refused.
  sed -e "s#^db-path = .*#db-path = \"$snap_root\"#" -e 's#^\[advisories\]#[advisories]\nmaximum-db-staleness = "P3650D"#' \
    deny.toml >"$snap_root/deny.toml"
fi

for manifest in Cargo.toml fuzz/Cargo.toml; do
  echo "supply: cargo deny on $manifest: licenses, bans, sources"
  cargo deny --manifest-path "$manifest" --config deny.toml --log-level error --locked check licenses bans sources
  if have_db; then
    echo "supply: cargo deny on $manifest: advisories (database of $(git -C "$(ls -d "$dbs"/*/ | head -n 1)" log -1 \
      --format=%cs 2>/dev/null || echo 'unknown date'))"
    cargo deny --manifest-path "$manifest" --config deny.toml --log-level error --offline --locked check advisories
  elif [ "${TACTFUL_REQUIRE_ADVISORIES:-0}" = 1 ]; then
    echo "supply: no fetched advisory database in $dbs and TACTFUL_REQUIRE_ADVISORIES=1" >&2
    exit 1
  elif [ -n "$snap_root" ]; then
    age=$(( ($(date +%s) - $(date -d "$snap_date" +%s)) / 86400 ))
    echo "supply: cargo deny on $manifest: advisories AGAINST THE COMMITTED SNAPSHOT of ${snap_date%%T*} ($age days old;"
    echo "        no fresh database could be fetched: advisories published since then are not checked)"
    cargo deny --manifest-path "$manifest" --config "$snap_root/deny.toml" --log-level error --offline --locked \
      check advisories
  else
    echo "supply: ADVISORIES NOT CHECKED for $manifest: no RustSec database in $dbs and no snapshot in $snapshot"
  fi
done

# The snapshot path must be able to fail: a made-up advisory against a crate tactful uses (serde, every version) in a
# copy of the snapshot has to make cargo deny fail.
if [ -n "$snap_root" ]; then
  fake="$snap_root/advisory-db-3157b0e258782691/crates/serde"
  mkdir -p "$fake"
  printf '%s\n' '```toml' '[advisory]' 'id = "RUSTSEC-2099-0001"' 'package = "serde"' 'date = "2026-01-01"' \
    '[versions]' 'patched = []' '```' '' '# made up by scripts/supply.sh' '' 'Not a real advisory.' >"$fake/RUSTSEC-2099-0001.md"
  git -C "$(dirname "$(dirname "$fake")")" add -A
  GIT_COMMITTER_DATE="$snap_date" git -C "$(dirname "$(dirname "$fake")")" -c user.name=tactful \
    -c user.email=tactful@localhost commit -q -m "a made-up advisory"
  if cargo deny --manifest-path Cargo.toml --config "$snap_root/deny.toml" --log-level error --offline --locked \
    check advisories >/dev/null 2>&1; then
    echo "supply: a made-up advisory against serde in the snapshot did not make cargo deny fail" >&2
    exit 1
  fi
  echo "supply: (a made-up advisory against serde in a copy of the snapshot makes the same check fail, as it must)"
fi
