#!/usr/bin/env bash
# Writes data/advisory-db/: the RustSec advisories (https://github.com/rustsec/advisory-db) of every crate named in
# Cargo.lock and fuzz/Cargo.lock, copied from a checkout of that repository, with SNAPSHOT (its commit, its date and
# the crates it was taken for). scripts/supply.sh checks against it when it cannot fetch a fresh database, and fails
# when a lock file names a crate the snapshot was not taken for (a new dependency: run this again).
#
#   git clone https://github.com/rustsec/advisory-db /tmp/advisory-db && bash scripts/advisory-snapshot.sh /tmp/advisory-db
set -euo pipefail
src="${1:?usage: scripts/advisory-snapshot.sh PATH-TO-ADVISORY-DB-CHECKOUT}"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -d "$src/crates" ] || { echo "advisory-snapshot: $src has no crates/ folder: not an advisory-db checkout" >&2; exit 1; }
out=data/advisory-db
names=$(sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.lock fuzz/Cargo.lock | sort -u)
rm -rf "$out/crates"
mkdir -p "$out/crates"
n=0
for name in $names; do
  if [ -d "$src/crates/$name" ]; then
    cp -r "$src/crates/$name" "$out/crates/$name"
    n=$((n + 1))
  fi
done
{
  echo "commit $(git -C "$src" log -1 --format=%H)"
  echo "date $(git -C "$src" log -1 --format=%cI)"
  echo "crates $(echo $names)"
} >"$out/SNAPSHOT"
echo "advisory-snapshot: $(echo "$names" | wc -w) crates, $n with advisories, $(find "$out/crates" -name '*.md' | wc -l) advisories; $out/SNAPSHOT"
