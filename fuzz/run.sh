#!/usr/bin/env bash
# Runs one fuzz target with its seeds: bash fuzz/run.sh scenario|operators|metrics|growth|special_files [SECONDS]
# (default 600). Needs cargo-fuzz (`cargo install cargo-fuzz`). On a stable toolchain the
# nightly-only flags cargo-fuzz passes (-Zsanitizer=address) are allowed by RUSTC_BOOTSTRAP=1.
# libFuzzer keeps what it learns in fuzz/corpus/TARGET (not committed) and writes a crashing
# input to fuzz/artifacts/TARGET/; reproduce one with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run -a TARGET fuzz/artifacts/TARGET/crash-…
# and shrink it with `cargo fuzz tmin -a TARGET fuzz/artifacts/TARGET/crash-…`.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: fuzz/run.sh scenario|operators|metrics|growth|special_files [SECONDS]}
seconds=${2:-600}
case "$target" in
    scenario) seeds=(scenarios tests/bad_inputs) extra=(-dict=fuzz/scenario.dict) ;;
    operators | metrics | growth | special_files) seeds=("fuzz/seeds/$target") extra=() ;;
    *) echo "unknown target $target (scenario, operators, metrics, growth, special_files)" >&2; exit 2 ;;
esac
mkdir -p "fuzz/corpus/$target"
# -a: debug assertions and overflow checks on, as in `cargo test`
RUSTC_BOOTSTRAP=1 exec cargo fuzz run -a "$target" "fuzz/corpus/$target" "${seeds[@]}" -- \
    -max_total_time="$seconds" -max_len=4096 -timeout=60 -print_final_stats=1 "${extra[@]}"
