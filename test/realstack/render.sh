# Suite 5 (issue 4): what `ovhfence render` generates, run through the real
# tools (sourced by in_netns.sh): the pcs script against an offline CIB, the crm
# script through crmsh, and cluster.conf against cman's schema from suite 4.

EXAMPLES=("$ROOT/examples/two-node.cluster" "$ROOT/examples/three-node.cluster")

# cluster_nodes FILE prints the node names of an ovhfence cluster file.
cluster_nodes() {
	sed -n 's/^\[node "\(.*\)"\]$/\1/p' "$1"
}

# has_reboot_time CLUSTER FILE: when CLUSTER records the live test's
# reboot_time, FILE (a CIB or cluster.conf) passes it to the agent; when not,
# FILE has none (examples/three-node.cluster has it,
# two-node.cluster not).
has_reboot_time() {
	local seconds
	seconds=$(sed -n 's/^reboot_time = //p' "$1")
	if [ -n "$seconds" ]; then
		has "name=\"reboot_time\" value=\"$seconds\"|reboot_time=\"$seconds\"" "$2"
	elif grep -Eq '"reboot_time"| reboot_time=' "$2"; then # not pcmk_reboot_timeout
		echo "$2 passes a reboot_time that $1 does not record"
		return 1
	fi
}

# pcs_script_runs_offline CLUSTER: the generated pcs script, run in its offline
# mode (OVHFENCE_CIB=FILE: its pcs -f calls edit FILE, nothing is pushed),
# leaves a configuration crm_verify accepts.
pcs_script_runs_offline() {
	local name cib script
	name=$(basename "$1" .cluster)
	cib=$WORK/render-$name-pcs.xml
	script=$WORK/render-$name.pcs.sh
	"$BIN" render pcs --cluster "$1" --out "$script"
	# shellcheck disable=SC2046 # one word per node
	offline_cib "$cib" $(cluster_nodes "$1")
	OVHFENCE_CIB=$cib sh "$script"
	crm_verify -x "$cib" -V
	has 'type="fence_ovh"' "$cib"
	has 'name="stonith-enabled" value="true"' "$cib"
	has_reboot_time "$1" "$cib"
}

crm_script_loads() {
	local name cib script
	name=$(basename "$1" .cluster)
	cib=$WORK/render-$name-crm.xml
	script=$WORK/render-$name.crm
	"$BIN" render crm --cluster "$1" --out "$script"
	# shellcheck disable=SC2046
	offline_cib "$cib" $(cluster_nodes "$1")
	# The command the file's header gives: configure level, one commit, no comments copied.
	CIB_file=$cib crm -f "$script" configure
	crm_verify -x "$cib" -V
	has 'type="fence_ovh"' "$cib"
	has_reboot_time "$1" "$cib"
	if grep -q '<!--' "$cib"; then
		echo "crm -f copied the script's comments into the CIB" >&2
		return 1
	fi
	# The other documented way still loads it.
	offline_cib "$cib.update" $(cluster_nodes "$1")
	CIB_file=$cib.update crm configure load update "$script"
	crm_verify -x "$cib.update" -V
}

# cluster_conf_validates CLUSTER [IN]: the cluster.conf rendered from CLUSTER,
# fresh or merged into IN, validates against cman's schema with our metadata.
cluster_conf_validates() {
	local out=$WORK/render-$(basename "$1" .cluster)${2:+-merged}.cluster.conf
	"$BIN" render clusterconf --cluster "$1" ${2:+--in "$2"} --out "$out"
	xmllint --noout --relaxng "$CLUSTER_RNG" "$out"
	has 'agent="fence_ovh"' "$out"
	has_reboot_time "$1" "$out"
	if [ -n "${2:-}" ]; then
		has '<pvevm' "$out"
	fi
}

suite_render() {
	local example name fixture=$ROOT/testdata/pve3-cluster.conf
	for example in "${EXAMPLES[@]}"; do
		name=$(basename "$example")
		check "render pcs ($name): script runs against an offline CIB; crm_verify clean" pcs_script_runs_offline "$example"
		check "render crm ($name): crm -f FILE configure and load update; crm_verify clean" crm_script_loads "$example"
		check "render clusterconf ($name), a new file, validates against cluster.rng" cluster_conf_validates "$example"
	done
	# The fixture is the three-node cluster's current cluster.conf: same nodes.
	check "render clusterconf (three-node.cluster) merged into the PVE 3 fixture validates against cluster.rng" \
		cluster_conf_validates "$ROOT/examples/three-node.cluster" "$fixture"
}
