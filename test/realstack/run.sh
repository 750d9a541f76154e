#!/usr/bin/env bash
# fence_ovh under the real cluster stack (issues 3 and 4): Pacemaker's metadata
# and validation calls, offline CIBs made with pcs and crmsh, a live one-node
# corosync + pacemaker cluster fencing through the simulator, cman's
# cluster.conf schema, and the rendered cluster configurations.
#
# Debian 12, root, non-interactive. It installs missing packages, builds the
# binary, puts it in place of Debian's /usr/sbin/fence_ovh, and runs every check
# inside `unshare --net` (loopback only), so no agent or daemon can send anything
# off the machine. Afterwards it restores every file it changed. The last line is
# "N passed, N failed"; the exit status is non-zero on any failure.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

if [ -n "${REALSTACK_IN_NETNS:-}" ]; then
	exec bash "$HERE/in_netns.sh"
fi

if [ "$(id -u)" -ne 0 ]; then
	if [ -z "${CI:-}" ]; then
		echo "realstack: skipped: needs root to run corosync and pacemaker and to install /usr/sbin/fence_ovh (CI unset)"
		exit 0
	fi
	echo "realstack: must run as root when CI is set" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

packages=(pacemaker pacemaker-cli-utils corosync pcs crmsh fence-agents libxml2-utils xsltproc iproute2 util-linux curl)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "realstack: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

WORK=$(mktemp -d /tmp/realstack.XXXXXX)
chmod 0755 "$WORK"
export WORK BIN=$WORK/bin/ovhfence
echo "realstack: building into $WORK/bin"
if ! (cd "$ROOT" && GOTOOLCHAIN=go1.23.12 CGO_ENABLED=0 go build -o "$BIN" ./cmd/ovhfence); then
	echo "0 passed, 1 failed"
	exit 1
fi

# shellcheck source=host_state.sh
. "$HERE/host_state.sh"
host_state_save
trap host_state_restore EXIT
ln -s "$BIN" /usr/sbin/fence_ovh

start=$(date +%s)
unshare --net --fork env REALSTACK_IN_NETNS=1 HOME="$WORK/home" bash "$0" || true
trap - EXIT
# shellcheck source=lib.sh
. "$HERE/lib.sh"
check "host files restored (fence_ovh, corosync.conf, CIB dirs)" host_state_restore

passed=$(grep -c '^pass$' "$WORK/results" || true)
failed=$(grep -c '^fail$' "$WORK/results" || true)
if [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]; then
	rm -rf "$WORK"
	echo "realstack: $(($(date +%s) - start)) s"
	echo "$passed passed, $failed failed"
	exit 0
fi
echo "realstack: $(($(date +%s) - start)) s; logs kept in $WORK"
echo "$passed passed, $failed failed"
exit 1
