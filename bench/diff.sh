#!/usr/bin/env bash
# Benchmark (not a test): ovhfence's cluster.conf diff against GNU diff -u on
# the same 1.8 MB file in the same run. Prints a Markdown report and writes it
# to bench/DIFF-RESULTS.md.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BIN=$(mktemp -d /tmp/diffbench.XXXXXX)
trap 'rm -rf "$BIN"' EXIT
command -v diff >/dev/null || { echo "bench: GNU diff is missing: apt-get install diffutils" >&2; exit 1; }
cd "$ROOT"
GOTOOLCHAIN=go1.23.12 CGO_ENABLED=0 go build -o "$BIN/diffbench" ./bench/diffbench
"$BIN/diffbench" -cluster examples/three-node.cluster | tee "$HERE/DIFF-RESULTS.md"
