# Suite 3: a live one-node cluster (corosync + pacemaker, node1) fencing a fake
# node2 that maps to a simulator server, through pacemaker-fenced and our agent
# (sourced by in_netns.sh). run.sh restores corosync.conf and the CIB
# directories afterwards; the daemons are stopped here, by PID.

LIVE_DEVICE=fence_node2
# The rescue boot of the first server of ovhsim.DefaultServers. Like the
# wizard, we give it to the agent: a least-privilege fencing key may not read
# /boot (DESIGN.md D2, D3).
SERVER1_RESCUE_BOOT_ID=230242 # rescue12-customer, OVH's EU ID (reference §3.3)

write_corosync_conf() {
	cat >/etc/corosync/corosync.conf <<CONF
totem {
    version: 2
    cluster_name: realstack
    transport: knet
    crypto_cipher: none
    crypto_hash: none
}
nodelist {
    node {
        ring0_addr: 127.0.0.1
        name: node1
        nodeid: 1
    }
}
quorum {
    provider: corosync_votequorum
}
logging {
    to_stderr: no
    to_logfile: yes
    logfile: $WORK/logs/corosync.log
    to_syslog: no
    timestamp: on
}
CONF
}

# seed_cib installs a CIB with dc-deadtime=1s: the default 20 s wait for a
# designated controller would dominate the suite's run time.
seed_cib() {
	cibadmin --empty >"$WORK/seed.xml"
	CIB_file=$WORK/seed.xml crm_attribute --type crm_config --name dc-deadtime --update 1s
	CIB_file=$WORK/seed.xml crm_attribute --type crm_config --name stonith-enabled --update true
	rm -f /var/lib/pacemaker/cib/cib* /var/lib/pacemaker/pengine/pe-*
	install -o hacluster -g haclient -m 0600 "$WORK/seed.xml" /var/lib/pacemaker/cib/cib.xml
}

node1_online() {
	crm_mon -1 2>/dev/null | grep -q 'Online: \[ node1 \]'
}

device_started() {
	crm_mon -1 2>/dev/null | grep -qE "$LIVE_DEVICE.*Started node1"
}

live_cluster_start() {
	write_corosync_conf
	seed_cib
	chown hacluster:haclient "$WORK/logs"
	chmod 0770 "$WORK/logs"
	corosync -f >"$WORK/logs/corosync.out" 2>&1 &
	echo $! >"$WORK/pids/corosync"
	wait_for 10 corosync-quorumtool -s
	PCMK_logfile=$WORK/logs/pacemaker.log PCMK_logfacility=none pacemakerd -f >"$WORK/logs/pacemakerd.out" 2>&1 &
	echo $! >"$WORK/pids/pacemakerd"
	wait_for 60 node1_online
	# The device's start runs the agent's monitor against the simulator. Its
	# timeouts exceed the simulated reboot (3 s) by far.
	pcs stonith create "$LIVE_DEVICE" fence_ovh pcmk_host_list=node2 "plug=$SERVER1" \
		"endpoint=$OVH_ENDPOINT" "ovh_config=$OVH_CONF" fence_mode=rescue "rescue_boot_id=$SERVER1_RESCUE_BOOT_ID" disk_boot_id=1 stonith_status_sleep=1 reboot_time=3 \
		pcmk_reboot_timeout=60s pcmk_off_timeout=60s
	wait_for 30 device_started
}

# pacemakerd stops its children before it exits; corosync goes after it.
live_cluster_stop() {
	stop_pid "$WORK/pids/pacemakerd"
	stop_pid "$WORK/pids/corosync"
}

# writes_since_clear FILE: the state-changing API calls since the request log
# was last cleared, one per line, into FILE.
writes_since_clear() {
	sim GET requests | "$HERE/server_writes.py" >"$1"
}

# expect_lines FILE LINE...: FILE holds exactly the given lines, in order.
expect_lines() {
	local file=$1
	shift
	if ! printf '%s\n' "$@" | diff -u - "$file"; then
		echo "unexpected content in $file (diff: - expected, + actual)"
		return 1
	fi
}

# booted_kernel SERVER: the netboot the server's last finished reboot started.
booted_kernel() {
	sim GET "servers/$1" | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["bootedKernel"])'
}

reboot_node2() {
	sim DELETE requests >/dev/null
	stonith_admin --reboot node2 --timeout 60
	writes_since_clear "$WORK/reboot.calls"
	expect_lines "$WORK/reboot.calls" "PUT /dedicated/server/$SERVER1 bootId=1" "POST /dedicated/server/$SERVER1/reboot"
	[ "$(booted_kernel "$SERVER1")" = hd ]
}

fence_node2() {
	sim DELETE requests >/dev/null
	stonith_admin --fence node2 --timeout 60
	writes_since_clear "$WORK/fence.calls"
	expect_lines "$WORK/fence.calls" "PUT /dedicated/server/$SERVER1 bootId=$SERVER1_RESCUE_BOOT_ID" \
		"POST /dedicated/server/$SERVER1/reboot"
	[ "$(booted_kernel "$SERVER1")" = rescue12-customer ]
}

# The fault lets the reboot start and ends its task in ovhError: the agent
# must report failure although the boot change and the reboot call succeeded.
fence_fails_on_task_error() {
	sim DELETE requests >/dev/null
	sim POST faults '{"kind":"taskEnd","taskEnd":"ovhError"}' >/dev/null
	fails stonith_admin --fence node2 --timeout 60
	sim DELETE faults >/dev/null
	writes_since_clear "$WORK/fault.calls"
	has "^POST /dedicated/server/$SERVER1/reboot$" "$WORK/fault.calls"
	has 'fence_ovh.*stderr.*ovhError' "$WORK/logs/pacemaker.log"
	stonith_admin --history node2 --verbose >"$WORK/history.txt"
	has 'off of node2 failed' "$WORK/history.txt"
}

secrets_stay_out_of_cluster() {
	cibadmin --query >"$WORK/live-cib.xml"
	local secret
	for secret in "$OVH_APPLICATION_SECRET" "$OVH_CONSUMER_KEY" ${SA_SECRET:+"$SA_SECRET"}; do
		lacks "$secret" "$WORK/live-cib.xml" "$WORK/logs" /var/lib/pacemaker
	done
}

suite_live_cluster() {
	local fencing_checks=("stonith_admin --reboot node2: exactly one boot change and one reboot of its server"
		"stonith_admin --fence node2: rescue boot, one reboot, boot read back"
		"stonith_admin --fence node2 fails when the task ends in ovhError; history says failed"
		"device switched to a service account (ovh.conf with client_id/client_secret); its monitor passes"
		"stonith_admin --fence node2 with the service account: bearer calls only, rescue boot, one reboot"
		"OVH secrets absent from the live CIB, cluster logs and /var/lib/pacemaker")
	if check "corosync + pacemaker up on node1 with a fence_ovh device for node2" live_cluster_start; then
		check "${fencing_checks[0]}" reboot_node2
		check "${fencing_checks[1]}" fence_node2
		check "${fencing_checks[2]}" fence_fails_on_task_error
		check "${fencing_checks[3]}" use_service_account
		check "${fencing_checks[4]}" fence_node2_with_service_account
		check "${fencing_checks[5]}" secrets_stay_out_of_cluster
	else
		skip_checks "the cluster did not start" "${fencing_checks[@]}"
		tail -n 30 "$WORK/logs/pacemaker.log" "$WORK/logs/corosync.log" 2>/dev/null | sed 's/^/     | /'
	fi
	check "pacemaker and corosync stopped by PID" live_cluster_stop
}
