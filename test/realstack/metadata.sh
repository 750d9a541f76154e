# Suite 1: our metadata as the cluster software reads it, with no cluster
# running (sourced by in_netns.sh).

# The parameters that only our agent has: seeing them proves the tool ran our
# binary and not Debian's Python fence_ovh.
OUR_PARAMETERS=(ovh_config fence_mode rescue_boot_id power_boot_id disk_boot_id endpoint)

# shows_our_parameters FILE: every one of OUR_PARAMETERS is named in FILE.
shows_our_parameters() {
	local p
	for p in "${OUR_PARAMETERS[@]}"; do
		has "\\b$p\\b" "$1"
	done
}

metadata_is_valid_fence_agents_xml() {
	fence_ovh -o metadata >"$WORK/metadata.xml"
	xmllint --noout --relaxng /usr/share/cluster/relaxng/metadata.rng "$WORK/metadata.xml"
	echo action=metadata | fence_ovh | cmp - "$WORK/metadata.xml"
}

crm_resource_shows_metadata() {
	crm_resource --show-metadata stonith:fence_ovh >"$WORK/crm_resource.xml"
	shows_our_parameters "$WORK/crm_resource.xml"
}

stonith_admin_shows_metadata() {
	stonith_admin --metadata --agent fence_ovh >"$WORK/stonith_admin.xml"
	shows_our_parameters "$WORK/stonith_admin.xml"
}

pcs_describes_agent() {
	pcs stonith describe fence_ovh >"$WORK/pcs_describe.txt"
	shows_our_parameters "$WORK/pcs_describe.txt"
}

stonith_admin_validates_good_options() {
	stonith_admin --validate --agent fence_ovh --option "plug=$SERVER1" \
		--option "endpoint=$OVH_ENDPOINT" --option "ovh_config=$OVH_CONF" --option fence_mode=rescue
}

# Without ovh_config (and no keys) the agent has no credentials: validation must
# fail, and Pacemaker must pass on the agent's own explanation.
stonith_admin_rejects_missing_keys() {
	fails stonith_admin --validate --agent fence_ovh --option "plug=$SERVER1" --option "endpoint=$OVH_ENDPOINT"
	has 'Validation of fence_ovh failed' "$WORK/last.out"
	has 'no OVH application key' "$WORK/last.out"
}

suite_metadata() {
	check "fence_ovh -o metadata validates against fence-agents' metadata.rng; stdin gives the same" metadata_is_valid_fence_agents_xml
	check "crm_resource --show-metadata stonith:fence_ovh shows our parameters" crm_resource_shows_metadata
	check "stonith_admin --metadata --agent fence_ovh shows our parameters" stonith_admin_shows_metadata
	check "pcs stonith describe fence_ovh shows our parameters" pcs_describes_agent
	check "stonith_admin --validate passes with plug, endpoint, ovh_config" stonith_admin_validates_good_options
	check "stonith_admin --validate fails without keys, with our message" stonith_admin_rejects_missing_keys
}
