#!/bin/sh
# Regenerates the charts the README shows (docs/charts/*.png) with the release binary:
# the five charts of `drift run` on the bundled marketing-long-distance scenario, a compare, a
# sweep and the calibration check. Run from the repository's root after `cargo build --release`.
set -eu
drift=./target/release/drift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
$drift run scenarios/marketing-long-distance.yaml --charts png --quiet --out "$tmp/run"
$drift compare scenarios/marketing-long-distance.yaml scenarios/customer-checkin.yaml --charts png --quiet --out "$tmp/compare"
$drift sweep scenarios/talk-chart.yaml --vary 'chain[2].mutate.jargon=0..1:11' --charts png --quiet --out "$tmp/sweep" >/dev/null
# the check exits 1 while retell is off the published figures (see the README's Calibration)
$drift calibrate --check --charts png --quiet --out "$tmp/calibrate" || true
for chart in drift blame final symptoms words compare sweep calibration; do
  find "$tmp" -name "$chart.png" -exec cp {} "docs/charts/$chart.png" \;
done
