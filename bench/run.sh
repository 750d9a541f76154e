#!/usr/bin/env bash
# Benchmark (not a test): builds ovhfence and fencebench, then measures cold
# starts against Debian's Python fence_ovh and fence_ipmilan, and the API calls
# and exit latency of each action against the simulator, in one run. As root it
# runs inside `unshare --net` (loopback only). Prints a Markdown report and
# writes it to bench/RESULTS.md.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BIN=$(mktemp -d /tmp/fencebench.XXXXXX)
trap 'rm -rf "$BIN"' EXIT

for peer in /usr/sbin/fence_ovh /usr/sbin/fence_ipmilan; do
	if [ ! -x "$peer" ]; then
		echo "bench: $peer is missing: apt-get install fence-agents" >&2
		exit 1
	fi
done
(
	cd "$ROOT"
	GOTOOLCHAIN=go1.23.12 CGO_ENABLED=0 go build -o "$BIN/ovhfence" ./cmd/ovhfence
	GOTOOLCHAIN=go1.23.12 CGO_ENABLED=0 go build -o "$BIN/fencebench" ./bench/fencebench
)
ln -s ovhfence "$BIN/fence_ovh"

# The fair-use part compares with fence_ovh as it was before issue 10 (fixed
# 2 s polls), built from that commit in the same run.
BASELINE=${BASELINE:-33ecbc8}
mkdir "$BIN/baseline"
git -C "$ROOT" archive "$BASELINE" | tar -x -C "$BIN/baseline"
(cd "$BIN/baseline" && GOTOOLCHAIN=go1.23.12 CGO_ENABLED=0 go build -o "$BIN/baseline/ovhfence" ./cmd/ovhfence)
ln -s ovhfence "$BIN/baseline/fence_ovh"

bench=("$BIN/fencebench" -bin "$BIN" -baseline "$BIN/baseline/fence_ovh" "$@")
if [ "$(id -u)" -eq 0 ]; then
	unshare --net --fork sh -c 'ip link set lo up && exec "$@"' sh "${bench[@]}" | tee "$HERE/RESULTS.md"
else
	echo "bench: not root, so not in a private network namespace (everything still talks to 127.0.0.1 only)" >&2
	"${bench[@]}" | tee "$HERE/RESULTS.md"
fi
