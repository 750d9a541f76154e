# Issue 14: the live cluster's fence device switched to an OVH service account
# (OAuth2 client credentials, rights from an IAM policy on node2's server only),
# then Pacemaker fences node2 with it (sourced by in_netns.sh; run inside
# suite_live_cluster while the cluster is up).

SA_CONF=$WORK/ovh-service-account.conf
SA_SECRET=

# use_service_account creates the account and its fencing policy through the
# control surface, writes its 0600 ovh.conf and points the device at it; the
# device's restart runs the agent's monitor with the account.
use_service_account() {
	local created client_id
	created=$(sim POST service-accounts "{\"name\":\"realstack\",\"servers\":[\"$SERVER1\"]}")
	client_id=$(printf '%s' "$created" | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["clientId"])')
	SA_SECRET=$(printf '%s' "$created" | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["clientSecret"])')
	(
		umask 077
		printf '[default]\nendpoint=%s\n\n[%s]\nclient_id=%s\nclient_secret=%s\n' \
			"$OVH_ENDPOINT" "$OVH_ENDPOINT" "$client_id" "$SA_SECRET" >"$SA_CONF"
	)
	sim DELETE requests >/dev/null
	pcs stonith update "$LIVE_DEVICE" "ovh_config=$SA_CONF"
	wait_for 30 device_started
	wait_for 30 monitored_by_service_account
}

monitored_by_service_account() {
	sim GET requests | grep -q '"path":"/1.0/auth/details"'
}

# only_bearer_calls: since the log was cleared, every OVH call carried the
# service account's token (no consumer key signed one).
only_bearer_calls() {
	sim GET requests | /usr/bin/python3 -c '
import json, sys
calls = [r for r in json.load(sys.stdin) if r["path"].startswith("/1.0/")]
bad = [r for r in calls if r["auth"] != "bearer"]
if not calls or bad:
    sys.exit(f"{len(calls)} calls, not by the service account: {bad}")'
}

fence_node2_with_service_account() {
	sim DELETE requests >/dev/null
	stonith_admin --fence node2 --timeout 60
	only_bearer_calls
	writes_since_clear "$WORK/sa-fence.calls"
	grep -v '^POST /auth/oauth2/token$' "$WORK/sa-fence.calls" >"$WORK/sa-fence.writes"
	expect_lines "$WORK/sa-fence.writes" "PUT /dedicated/server/$SERVER1 bootId=$SERVER1_RESCUE_BOOT_ID" \
		"POST /dedicated/server/$SERVER1/reboot"
	[ "$(booted_kernel "$SERVER1")" = rescue12-customer ]
}
