# Check runner and assertions shared by the real-stack suites (sourced, not run).
#
# Each check runs in its own subshell with errexit, so a check is a plain list of
# commands and its first failing command fails it. Results go to $WORK/results,
# one line per check, so suites may run checks from subshells too. A check's
# output is shown only when it fails.

# check NAME FUNCTION [ARGS...] runs one check and records its result.
check() {
	local name=$1 log rc start
	shift
	log=$(mktemp "$WORK/check.XXXXXX")
	start=$(date +%s%N)
	(
		set -euo pipefail
		"$@"
	) >"$log" 2>&1 </dev/null
	rc=$?
	local ms=$((($(date +%s%N) - start) / 1000000))
	if [ "$rc" -eq 0 ]; then
		echo pass >>"$WORK/results"
		printf 'ok   %s (%d ms)\n' "$name" "$ms"
	else
		echo fail >>"$WORK/results"
		printf 'FAIL %s (exit %d, %d ms)\n' "$name" "$rc" "$ms"
		sed 's/^/     | /' "$log"
	fi
	return "$rc"
}

# skip_checks REASON NAME... records checks that could not run because a
# setup they need failed: they count as failed, never as passed.
skip_checks() {
	local reason=$1 name
	shift
	for name in "$@"; do
		echo fail >>"$WORK/results"
		printf 'FAIL %s (not run: %s)\n' "$name" "$reason"
	done
}

# fails CMD... succeeds only if CMD exits non-zero; its output goes to $WORK/last.out.
fails() {
	if "$@" >"$WORK/last.out" 2>&1; then
		echo "expected failure, but it succeeded: $*"
		cat "$WORK/last.out"
		return 1
	fi
}

# has PATTERN FILE: FILE contains a line matching the extended regexp PATTERN.
has() {
	if ! grep -qE -- "$1" "$2"; then
		echo "expected /$1/ in $2, which holds:"
		sed -n '1,60p' "$2"
		return 1
	fi
}

# lacks STRING FILE...: no FILE contains the fixed STRING (used for secrets, so
# the message names the file, never the string).
lacks() {
	local needle=$1 file
	shift
	for file in "$@"; do
		if [ -e "$file" ] && grep -rqF -- "$needle" "$file"; then
			echo "a secret leaked into $file"
			return 1
		fi
	done
}

# wait_for SECONDS CMD...: polls CMD every 0.1 s until it succeeds.
wait_for() {
	local deadline=$(($(date +%s) + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		if [ "$(date +%s)" -ge "$deadline" ]; then
			echo "timed out waiting for: $*"
			return 1
		fi
		sleep 0.1
	done
}

# stop_pid PIDFILE: TERM the process named in PIDFILE and wait until it is gone
# (KILL after 20 s), so the next suite starts from a clean slate.
stop_pid() {
	local pid i
	[ -s "$1" ] || return 0
	pid=$(cat "$1")
	rm -f "$1"
	kill -TERM "$pid" 2>/dev/null || return 0
	for i in $(seq 200); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
}
