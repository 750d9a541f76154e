# The simulated OVH API for the real-stack suites (sourced, not run). It listens
# on 127.0.0.1 inside the suite's network namespace; its keys go to a 0600
# ovh.conf, never into the CIB or a command line.

SANDBOX_ENV=$WORK/sandbox.env
OVH_CONF=$WORK/ovh.conf

# sandbox_start REBOOT_SECONDS starts `ovhfence sandbox` and writes $OVH_CONF.
sandbox_start() {
	"$BIN" sandbox --listen 127.0.0.1:0 --reboot-seconds "$1" >"$SANDBOX_ENV" 2>"$WORK/sandbox.err" &
	echo $! >"$WORK/pids/sandbox"
	wait_for 10 grep -q '^OVH_SERVERS=' "$SANDBOX_ENV"
	sandbox_load
	(
		umask 077
		printf '[default]\nendpoint=%s\n\n[%s]\napplication_key=%s\napplication_secret=%s\nconsumer_key=%s\n' \
			"$OVH_ENDPOINT" "$OVH_ENDPOINT" "$OVH_APPLICATION_KEY" "$OVH_APPLICATION_SECRET" "$OVH_CONSUMER_KEY" >"$OVH_CONF"
	)
	[ "$(stat -c %a "$OVH_CONF")" = 600 ]
}

# sandbox_load sets OVH_ENDPOINT, OVH_APPLICATION_KEY, OVH_APPLICATION_SECRET,
# OVH_CONSUMER_KEY, OVH_SERVERS and SIM (the control surface) as shell variables,
# deliberately not exported: the agent must get its keys from ovh_config.
sandbox_load() {
	local key value
	while IFS='=' read -r key value; do
		case $key in
		OVH_ENDPOINT | OVH_APPLICATION_KEY | OVH_APPLICATION_SECRET | OVH_CONSUMER_KEY | OVH_SERVERS)
			printf -v "$key" '%s' "$value"
			;;
		esac
	done <"$SANDBOX_ENV"
	SIM=${OVH_ENDPOINT%/1.0}/_sim
	SERVER1=${OVH_SERVERS%%,*}
}

sandbox_stop() {
	stop_pid "$WORK/pids/sandbox"
}

# sim METHOD PATH [JSON]: one call to the control surface; the body goes to stdout.
sim() {
	if [ $# -ge 3 ]; then
		curl -sS --fail-with-body -X "$1" -H 'Content-Type: application/json' --data "$3" "$SIM/$2"
	else
		curl -sS --fail-with-body -X "$1" "$SIM/$2"
	fi
}
