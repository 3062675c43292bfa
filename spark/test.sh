#!/usr/bin/env bash
# The Spark model build's equality tests (spark/README.md): builds the model with Spark local[2] and with the Rust CLI
# on the Online Retail sample and on the Complete Journey dev households, and checks they are the same model; then
# ranks the dev split's requests with either model through `tactful recommend --model`.
#
# Needs Java 17 (java on PATH) and python3 with venv. pyspark and numpy are installed from PyPI into a virtual
# environment outside the work tree ($TACTFUL_SPARK_VENV, default ~/.cache/tactful/spark-venv-<versions>), and only
# when it is missing, so a second run (or CI on the same machine) installs nothing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"
start=$(date +%s)

PYSPARK_VERSION=3.5.8
NUMPY_VERSION=2.2.6
venv=${TACTFUL_SPARK_VENV:-$HOME/.cache/tactful/spark-venv-$PYSPARK_VERSION-$NUMPY_VERSION}
if ! "$venv/bin/python" -c "import pyspark, numpy" 2>/dev/null; then
  echo "spark: installing pyspark $PYSPARK_VERSION and numpy $NUMPY_VERSION into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "pyspark==$PYSPARK_VERSION" "numpy==$NUMPY_VERSION"
fi
if ! java -version >/dev/null 2>&1; then
  echo "spark: no java on PATH; the Spark tests need Java 17 (Debian: apt-get install openjdk-17-jre-headless)" >&2
  exit 1
fi
java -version 2>&1 | head -1
echo "spark: environment ready ($(($(date +%s) - start)) s)"

# The Rust side: the release binary (the same one the scaling table times).
nice -n 10 cargo build --quiet --release --features cli --bin tactful

export PYSPARK_PYTHON="$venv/bin/python" PYSPARK_DRIVER_PYTHON="$venv/bin/python"
nice -n 10 "$venv/bin/python" spark/test_equal.py --tactful target/release/tactful "$@"
echo "spark: $(($(date +%s) - start)) s in all"
