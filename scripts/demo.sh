#!/usr/bin/env bash
# Builds everything (installing what is missing) and serves the demo store on 127.0.0.1 in the foreground: the store
# (/), the preference center (/preferences.html) and the email preview (/email.html), all from www/ and pkg/.
# Port: first argument, or $PORT, or 8080.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/build.sh
exec node scripts/serve.mjs "${1:-${PORT:-8080}}"
