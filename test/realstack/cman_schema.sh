# Suite 4: cman's cluster.conf schema, as a Proxmox VE 3 node rebuilds it after
# our binary is installed (ccs_update_schema runs `fence_ovh -o metadata`
# through fence-agents' fence2rng.xsl), checked with xmllint (sourced by
# in_netns.sh). The other agents' definitions come from testdata/cluster.rng
# (its origin and licences: testdata/SOURCES.md).

CLUSTER_RNG=$WORK/cluster.rng
FENCE2RNG=/usr/share/cluster/relaxng/fence2rng.xsl

# build_cluster_rng swaps Debian's fence_ovh group in the repository's schema for the
# one generated from our metadata.
build_cluster_rng() {
	local debian_rng=$ROOT/testdata/cluster.rng
	fence_ovh -o metadata | xsltproc "$FENCE2RNG" - >"$WORK/fence_ovh.rng"
	has '<group rha:name="fence_ovh"' "$WORK/fence_ovh.rng"
	has '<attribute name="ovh_config"' "$WORK/fence_ovh.rng"
	awk -v ours="$WORK/fence_ovh.rng" '
		/<!-- fence_ovh -->/ { while ((getline line < ours) > 0) print line; skipping = 1; next }
		skipping && /^      <\/group>$/ { skipping = 0; replaced = 1; next }
		!skipping { print }
		END { exit replaced ? 0 : 1 }
	' "$debian_rng" >"$CLUSTER_RNG"
	xmllint --noout "$CLUSTER_RNG"
	[ "$(grep -c 'rha:name="fence_ovh"' "$CLUSTER_RNG")" -eq 1 ]
}

# write_cluster_conf FILE [EXTRA_ATTRIBUTE]: a Proxmox VE 3 cluster.conf with one
# fence_ovh device per node, using our parameters.
write_cluster_conf() {
	cat >"$1" <<CONF
<?xml version="1.0"?>
<cluster config_version="46" name="pve3">
  <cman keyfile="/var/lib/pve-cluster/corosync.authkey" transport="udpu"/>
  <fencedevices>
    <fencedevice agent="fence_ovh" name="fence_node1" plug="ns567890.ip-123-22-44.eu" endpoint="ovh-eu"
      ovh_config="/etc/pve/priv/ovh.conf" fence_mode="rescue" rescue_boot_id="22" disk_boot_id="1"
      power_timeout="240" stonith_status_sleep="5" method="cycle" ${2:-}/>
    <fencedevice agent="fence_ovh" name="fence_node2" plug="ns567891.ip-123-22-45.eu" endpoint="ovh-eu"
      ovh_config="/etc/pve/priv/ovh.conf" fence_mode="poweroff" power_boot_id="23" disk_boot_id="1"/>
  </fencedevices>
  <clusternodes>
    <clusternode name="node1" nodeid="1" votes="1">
      <fence><method name="1"><device action="off" name="fence_node1"/></method></fence>
    </clusternode>
    <clusternode name="node2" nodeid="2" votes="1">
      <fence><method name="1"><device action="off" name="fence_node2"/></method></fence>
    </clusternode>
  </clusternodes>
  <rm>
    <pvevm autostart="1" vmid="100"/>
  </rm>
</cluster>
CONF
}

cluster_conf_with_our_parameters_validates() {
	write_cluster_conf "$WORK/good-cluster.conf"
	xmllint --noout --relaxng "$CLUSTER_RNG" "$WORK/good-cluster.conf"
	# Debian's fence_ovh has no ovh_config: the node needs the rebuilt schema.
	fails xmllint --noout --relaxng "$ROOT/testdata/cluster.rng" "$WORK/good-cluster.conf"
}

cluster_conf_with_unknown_attribute_fails() {
	write_cluster_conf "$WORK/bad-cluster.conf" 'no_such_option="1"'
	fails xmllint --noout --relaxng "$CLUSTER_RNG" "$WORK/bad-cluster.conf"
	has 'fails to validate' "$WORK/last.out"
}

suite_cman_schema() {
	local schema_checks=("cluster.conf using our parameters validates (and needs our group)"
		"cluster.conf with an unknown fence attribute does not validate")
	if check "cluster.rng rebuilt with our metadata through fence2rng.xsl" build_cluster_rng; then
		check "${schema_checks[0]}" cluster_conf_with_our_parameters_validates
		check "${schema_checks[1]}" cluster_conf_with_unknown_attribute_fails
	else
		skip_checks "no cluster.rng" "${schema_checks[@]}"
	fi
}
