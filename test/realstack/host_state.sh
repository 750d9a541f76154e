# Saves and restores the host files the real-stack suites change (sourced, not
# run): Debian's /usr/sbin/fence_ovh (replaced by a symlink to our binary),
# /etc/corosync/corosync.conf, and the state under /var/lib/pacemaker and
# /var/lib/corosync. The backup lives at a fixed path, so a run that was killed
# before restoring is repaired by the next run.

HOST_BACKUP=/var/backups/ovhfence-realstack
HOST_PATHS=(usr/sbin/fence_ovh etc/corosync/corosync.conf var/lib/pacemaker var/lib/corosync)

# host_manifest prints path, owner, mode and checksum of everything saved.
host_manifest() {
	local p
	for p in "${HOST_PATHS[@]}"; do
		[ -e "/$p" ] || [ -L "/$p" ] || continue
		find "/$p" -printf '%p %u:%g %m %y %l\n' | sort
		find "/$p" -type f -print0 | sort -z | xargs -0r md5sum
	done
}

host_state_save() {
	if [ -e "$HOST_BACKUP/state.tar" ]; then
		echo "realstack: restoring host files left by an interrupted run"
		host_state_restore
	fi
	mkdir -p "$HOST_BACKUP"
	local present=() p
	for p in "${HOST_PATHS[@]}"; do
		[ -e "/$p" ] || [ -L "/$p" ] && present+=("$p")
	done
	host_manifest >"$HOST_BACKUP/manifest"
	tar -C / -cpf "$HOST_BACKUP/state.tar.partial" "${present[@]}"
	mv "$HOST_BACKUP/state.tar.partial" "$HOST_BACKUP/state.tar"
	rm -f /usr/sbin/fence_ovh
}

# host_state_restore puts the saved files back and fails if anything differs.
host_state_restore() {
	[ -e "$HOST_BACKUP/state.tar" ] || return 0
	local p
	for p in "${HOST_PATHS[@]}"; do
		rm -rf "/${p:?}"
	done
	tar -C / -xpf "$HOST_BACKUP/state.tar"
	if ! host_manifest | diff "$HOST_BACKUP/manifest" -; then
		echo "host files differ from before the run (diff above); backup kept in $HOST_BACKUP"
		return 1
	fi
	rm -rf "$HOST_BACKUP"
}
