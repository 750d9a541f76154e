# Suite 2: offline CIBs (no cluster running) built with pcs -f and with crmsh
# through CIB_file, then checked with crm_verify (sourced by in_netns.sh).

# offline_cib FILE NODE...: an empty CIB whose nodes are all known and up, so
# that crm_verify has nothing to warn about but the configuration itself
# (a node with no state is "unclean" and crm_verify exits 78 on warnings).
offline_cib() {
	local cib=$1 id=0 node
	shift
	cibadmin --empty >"$cib"
	for node in "$@"; do
		id=$((id + 1))
		CIB_file=$cib cibadmin --create -o nodes -X "<node id=\"$id\" uname=\"$node\"/>"
		CIB_file=$cib cibadmin --create -o status \
			-X "<node_state id=\"$id\" uname=\"$node\" in_ccm=\"true\" crmd=\"online\" join=\"member\" expected=\"member\"/>"
	done
}

# device_params NODE SERVER: our agent's parameters for fencing NODE, which runs
# on OVH server SERVER. The keys stay in ovh_config, out of the CIB.
device_params() {
	local index=${1#node}
	echo "pcmk_host_list=$1" "plug=$2" "endpoint=$OVH_ENDPOINT" "ovh_config=$OVH_CONF" \
		fence_mode=rescue "rescue_boot_id=$((20 + index))" "disk_boot_id=1" power_timeout=240
}

pcs_builds_offline_cib() {
	local cib=$WORK/pcs-cib.xml node server servers
	IFS=, read -ra servers <<<"$OVH_SERVERS"
	offline_cib "$cib" node1 node2
	pcs -f "$cib" property set stonith-enabled=true
	for node in node1 node2; do
		server=${servers[${node#node} - 1]}
		# shellcheck disable=SC2046 # device_params is a list of words
		pcs -f "$cib" stonith create "fence_$node" fence_ovh $(device_params "$node" "$server") \
			pcmk_reboot_timeout=300s pcmk_off_timeout=300s
		pcs -f "$cib" constraint location "fence_$node" avoids "$node"
	done
	crm_verify -x "$cib" -V
	has 'name="ovh_config" value="'"$OVH_CONF"'"' "$cib"
	has 'name="rescue_boot_id" value="22"' "$cib"
	has 'rsc="fence_node1".*node="node1".*score="-INFINITY"|node="node1".*rsc="fence_node1".*score="-INFINITY"' "$cib"
	has 'name="stonith-enabled" value="true"' "$cib"
	lacks "$OVH_APPLICATION_SECRET" "$cib"
	lacks "$OVH_CONSUMER_KEY" "$cib"
}

pcs_rejects_unknown_parameter() {
	local cib=$WORK/pcs-reject.xml
	offline_cib "$cib" node1
	# shellcheck disable=SC2046
	fails pcs -f "$cib" stonith create fence_bad fence_ovh $(device_params node1 "$SERVER1") nosuch_param=1
	has "invalid stonith option 'nosuch_param'" "$WORK/last.out"
}

# One crmsh process loads the whole configuration: each crm call costs about a
# second of Python start-up.
crmsh_builds_offline_cib() {
	local cib=$WORK/crm-cib.xml config=$WORK/offline.crm node server servers
	IFS=, read -ra servers <<<"$OVH_SERVERS"
	offline_cib "$cib" node1 node2
	echo "property stonith-enabled=true" >"$config"
	for node in node1 node2; do
		server=${servers[${node#node} - 1]}
		echo "primitive fence_$node stonith:fence_ovh params $(device_params "$node" "$server") op monitor interval=60s"
		echo "location avoid_fence_$node fence_$node -inf: $node"
	done >>"$config"
	CIB_file=$cib crm configure load update "$config"
	crm_verify -x "$cib" -V
	has 'name="ovh_config" value="'"$OVH_CONF"'"' "$cib"
	has 'name="fence_mode" value="rescue"' "$cib"
	has 'rsc="fence_node2".*score="-INFINITY".*node="node2"|rsc="fence_node2".*node="node2".*score="-INFINITY"' "$cib"
	lacks "$OVH_APPLICATION_SECRET" "$cib"
}

crmsh_rejects_unknown_parameter() {
	local cib=$WORK/crm-reject.xml
	offline_cib "$cib" node1
	# shellcheck disable=SC2046
	CIB_file=$cib fails crm configure primitive fence_bad stonith:fence_ovh params $(device_params node1 "$SERVER1") nosuch_param=1
	has 'parameter "nosuch_param" is not known' "$WORK/last.out"
}

suite_offline_cib() {
	check "pcs -f: a device per node with our parameters, avoids its target, stonith enabled; crm_verify clean" pcs_builds_offline_cib
	check "pcs -f rejects an unknown fence_ovh parameter" pcs_rejects_unknown_parameter
	check "crmsh (CIB_file): the same configuration; crm_verify clean" crmsh_builds_offline_cib
	check "crmsh rejects an unknown fence_ovh parameter" crmsh_rejects_unknown_parameter
}
