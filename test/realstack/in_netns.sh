#!/usr/bin/env bash
# The real-stack suites, run by run.sh inside `unshare --net`: only loopback
# exists here. WORK (scratch directory) and BIN (the built ovhfence) come from
# run.sh, which also restores the host files afterwards; fixtures come from the
# repository's testdata/ (origins in testdata/SOURCES.md).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
mkdir -p "$HOME" "$WORK/pids" "$WORK/logs"
. "$HERE/lib.sh"
. "$HERE/sandbox.sh"
. "$HERE/metadata.sh"
. "$HERE/offline_cib.sh"
. "$HERE/live_cluster.sh"
. "$HERE/service_account.sh"
. "$HERE/cman_schema.sh"
. "$HERE/render.sh"

stop_all() {
	local pidfile
	for pidfile in "$WORK"/pids/*; do
		stop_pid "$pidfile"
	done
}
trap stop_all EXIT

ip link set lo up
if ! check "simulator serves on 127.0.0.1 and writes a 0600 ovh.conf" sandbox_start 3; then
	echo "realstack: the simulator did not start; nothing else can run" >&2
	exit 1
fi
sandbox_load

suite_metadata
suite_offline_cib
suite_live_cluster
suite_cman_schema
suite_render
