#!/usr/bin/env bash
# Runs every ovhfence test: Go unit and integration tests, short fuzz runs, the
# real cluster stack (Pacemaker, pcs, crmsh, cman's schema) in a private network
# namespace, and the Debian package. On Debian 12 as root it first installs what
# the tests need.
set -euo pipefail
cd "$(dirname "$0")"
export GOTOOLCHAIN=go1.23.12   # DESIGN.md D7: built by Go 1.23 for Proxmox VE 3's kernel
if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then
  export PATH=$PATH:/usr/local/go/bin
fi
command -v go >/dev/null || { echo "test.sh: Go >= 1.21 must be on the PATH (it fetches the 1.23 toolchain)" >&2; exit 1; }

packages=(pacemaker pacemaker-cli-utils corosync pcs crmsh fence-agents libxml2-utils xsltproc tmux iproute2 util-linux procps curl make zsh)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: missing packages: ${missing[*]} (run as root to install them)" >&2
    exit 1
  fi
  echo "test.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

go mod download
go vet ./...
# Every simulator the tests start logs its OVH calls here; test/contract then checks
# them against OVH's own API descriptions (internal/ovhschema/testdata).
contract_log=$(mktemp)
trap 'rm -f "$contract_log"' EXIT
OVHFENCE_CONTRACT_LOG=$contract_log go test -count=1 ./...
go run ./test/contract "$contract_log"

# Short fuzz runs: the stdin parser (what Pacemaker and cman send) and the cluster.conf merge.
# A short minimisation budget keeps a 20 s run fuzzing instead of minimising one input.
go test -run '^$' -fuzz '^FuzzParseStdin$' -fuzztime 20s -fuzzminimizetime 1s ./agent
go test -run '^$' -fuzz '^FuzzMerge$' -fuzztime 20s -fuzzminimizetime 1s ./render

bash test/realstack/run.sh

# The Debian package: make deb, lintian, install beside fence-agents, purge. After the
# real-stack suite, never beside it: both change /usr/sbin/fence_ovh.
bash test/package/run.sh
