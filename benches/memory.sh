#!/usr/bin/env bash
# Peak memory (maximum resident set size) of `drift run` at a million runs of the benchmark
# scenario. Memory must not grow with runs: compare with the same at 10,000.
# Usage: bash benches/memory.sh [RUNS]   (default 1000000; takes a few minutes on two cores)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
runs="${1:-1000000}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
/usr/bin/time -f "runs=$runs wall=%es peak_rss=%MKB" ./target/release/drift run benches/bench-11-hops.yaml \
  --runs "$runs" --no-counterfactual --quiet --out "$out"
