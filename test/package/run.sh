#!/usr/bin/env bash
# The Debian package (issue 13): `make deb`, its members and fields (dpkg 1.16
# must read them), lintian, then apt-get install beside Debian's fence-agents:
# our fence_ovh and man page as the cluster tools and man see them, Debian's
# kept aside byte for byte, a fence-agents reinstall that keeps ours, and a
# purge that puts Debian's back and leaves nothing.
#
# Debian 12, root. It installs and purges packages and touches
# /usr/sbin/fence_ovh, like test/realstack: never run both at once. By hand:
#   flock /tmp/ovhfence-realstack.lock bash test/package/run.sh
# (./test.sh runs it after the real-stack suite). The last line is
# "N passed, N failed"; the exit status is non-zero on any failure.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"
if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then
	export PATH=$PATH:/usr/local/go/bin
fi

if [ "$(id -u)" -ne 0 ]; then
	if [ -z "${CI:-}" ]; then
		echo "package: skipped: needs root to install and purge the package (CI unset)"
		exit 0
	fi
	echo "package: must run as root when CI is set" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
packages=(make fence-agents pcs pacemaker-cli-utils man-db lintian zsh bash-completion binutils curl)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "package: installing ${missing[*]}"
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

WORK=$(mktemp -d /tmp/package-test.XXXXXX)
export WORK
# shellcheck source=../realstack/lib.sh
. "$ROOT/test/realstack/lib.sh"

# A run killed while the package was installed left this marker: purge first.
MARKER=/var/backups/ovhfence-package-test
if [ -e "$MARKER" ]; then
	echo "package: purging the ovhfence package left by an interrupted run"
	apt-get purge -y -qq ovhfence >/dev/null || true
	rm -f "$MARKER"
fi
status=$(dpkg-query -W -f='${Status}' ovhfence 2>/dev/null || true)
if [ -n "$status" ] && [ "${status%not-installed}" = "$status" ]; then
	echo "package: the ovhfence package is installed on this machine; this test installs and purges it, so remove it first" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

# What Debian's fence-agents installed, to compare with after the purge.
DEBIAN_FILES=(/usr/sbin/fence_ovh /usr/share/man/man8/fence_ovh.8.gz)
debian_state() {
	local f
	for f in "${DEBIAN_FILES[@]}"; do
		stat -c '%n %U:%G %a %F' "$f"
		md5sum "$f"
	done
	dpkg-divert --list '*fence_ovh*'
}
debian_state >"$WORK/debian.before"

# Files the package may leave behind after a purge: none of them.
OUR_PATHS=(/usr/sbin/ovhfence /usr/lib/ovhfence /etc/cron.d/ovhfence-check /usr/share/doc/ovhfence
	/usr/share/man/man1/ovhfence.1.gz /usr/share/bash-completion/completions/ovhfence
	/usr/share/bash-completion/completions/fence_ovh /usr/share/zsh/vendor-completions/_ovhfence
	/usr/share/lintian/overrides/ovhfence)

# restore purges the package if this run installed it, then undoes whatever a
# faulty postrm left: diversions by ovhfence and their directory.
restore() {
	if [ -e "$MARKER" ]; then
		apt-get purge -y -qq ovhfence >/dev/null 2>&1 || true
		rm -f "$MARKER"
	fi
	local from to
	dpkg-divert --list '*' | sed -n 's/^diversion of \(.*\) to \(.*\) by ovhfence$/\1 \2/p' |
		while read -r from to; do
			echo "package: removing the diversion of $from left behind"
			dpkg-divert --package ovhfence --remove --rename --divert "$to" "$from"
		done
	if [ -d /usr/lib/ovhfence ]; then rmdir --ignore-fail-on-non-empty /usr/lib/ovhfence; fi
}
trap restore EXIT

start=$(date +%s)
# From here on a failing check is counted, not fatal (lib.sh's check runs each in errexit).
set +e

build_deb() {
	rm -rf dist
	make deb
	[ "$(find dist -name 'ovhfence_*_amd64.deb' | wc -l)" -eq 1 ]
}

# ar members as dpkg 1.16 reads them: gzip only (xz control.tar came with dpkg 1.17.6, zstd later).
members_are_gzip() {
	ar t dist/ovhfence_*_amd64.deb >"$WORK/members"
	printf 'debian-binary\ncontrol.tar.gz\ndata.tar.gz\n' | diff - "$WORK/members"
	dpkg-deb --info dist/ovhfence_*_amd64.deb >"$WORK/info"
	has '^ new Debian package, version 2\.0\.' "$WORK/info"
	# Plain tar entries only: no pax (x, g) or GNU long-name (L, K) headers, which old dpkg does not read.
	dpkg-deb --fsys-tarfile dist/ovhfence_*_amd64.deb >"$WORK/data.tar"
	dpkg-deb --ctrl-tarfile dist/ovhfence_*_amd64.deb >"$WORK/control.tar"
	python3 - "$WORK/data.tar" "$WORK/control.tar" <<-'EOF2'
	import sys
	for path in sys.argv[1:]:
	    data, off = open(path, "rb").read(), 0
	    while off + 512 <= len(data) and data[off:off + 512] != bytes(512):
	        header = data[off:off + 512]
	        flag = chr(header[156] or ord("0"))
	        if flag not in "025":
	            sys.exit("%s: tar entry of type %r at %d" % (path, flag, off))
	        size = int(header[124:136].strip(b"\0 ") or b"0", 8)
	        off += 512 + (size + 511) // 512 * 512
	EOF2
}

# Control fields are ones dpkg 1.16 knows; no dependency (one static binary).
control_fields_are_old_and_few() {
	dpkg-deb --field dist/ovhfence_*_amd64.deb >"$WORK/control"
	cat "$WORK/control"
	local fields
	fields=$(grep -o '^[A-Za-z-]*:' "$WORK/control" | tr -d : | sort | tr '\n' ' ')
	[ "$fields" = "Architecture Description Enhances Installed-Size Maintainer Package Priority Section Version " ]
	dpkg-deb --ctrl-tarfile dist/ovhfence_*_amd64.deb | tar -t | sort >"$WORK/control-files"
	printf './\n./conffiles\n./control\n./md5sums\n./postrm\n./preinst\n' | diff - "$WORK/control-files"
}

# The package version, --version and fence_ovh -V come from version.Number;
# the commit is the checkout's.
version_is_one_source() {
	local version line commit
	version=$(dpkg-deb --field dist/ovhfence_*_amd64.deb Version)
	line=$(build/ovhfence --version)
	echo "$line"
	[ "$DEB" = "dist/ovhfence_${version}_amd64.deb" ]
	grep -q "^const Number = \"$version\"$" version/version.go
	commit=$(git rev-parse --short=7 HEAD)
	[[ $line =~ ^ovhfence\ $version\ \(commit\ $commit(-dirty)?,\ go1\.23\.[0-9]+\)$ ]]
	[ "$(build/ovhfence agent -V)" = "$line" ]
	go version -m build/ovhfence >"$WORK/go-version-m"
	has 'CGO_ENABLED=0' "$WORK/go-version-m"
}

contents_are_complete() {
	dpkg -c dist/ovhfence_*_amd64.deb | tee "$WORK/contents"
	local path
	for path in ./usr/sbin/ovhfence ./etc/cron.d/ovhfence-check ./usr/share/man/man8/fence_ovh.8.gz \
		./usr/share/man/man1/ovhfence.1.gz ./usr/share/doc/ovhfence/copyright ./usr/share/doc/ovhfence/changelog.gz \
		./usr/share/doc/ovhfence/README.md.gz ./usr/share/doc/ovhfence/examples/two-node.cluster \
		./usr/share/bash-completion/completions/ovhfence ./usr/share/zsh/vendor-completions/_ovhfence; do
		has " root/root .* ${path//./\\.}$" "$WORK/contents"
	done
	has '^lrwxrwxrwx root/root .* \./usr/sbin/fence_ovh -> ovhfence$' "$WORK/contents"
	has '^lrwxrwxrwx root/root .* \./usr/share/bash-completion/completions/fence_ovh -> ovhfence$' "$WORK/contents"
	# /usr/lib/ovhfence is made by preinst, for Debian's files only
	if grep 'usr/lib/ovhfence' "$WORK/contents"; then return 1; fi
}

# Every Go module linked into the binary has its stanza in the copyright file.
copyright_names_every_module() {
	grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/$' debian/copyright
	local module prefix covered
	for module in $(go version -m build/ovhfence | awk '$1 == "dep" {print $2}'); do
		covered=
		prefix=$module
		while [ "$prefix" != "${prefix%/*}" ]; do # the module's path, or a parent directory of it, with /*
			grep -qE "^Files:(.* )? ?vendor/${prefix}/\*( |$)" debian/copyright && covered=1
			prefix=${prefix%/*}
		done
		if [ -z "$covered" ]; then
			echo "debian/copyright has no Files: stanza for $module"
			return 1
		fi
	done
}

# Lintian: no error or warning left; the overrides say why each remaining tag is right.
lintian_is_clean() {
	lintian --pedantic --info --show-overrides dist/ovhfence_*_amd64.deb || true # shown in the log
	# (--show-overrides makes --fail-on count overridden tags too)
	lintian --fail-on error,warning dist/ovhfence_*_amd64.deb >"$WORK/lintian" 2>&1 || {
		cat "$WORK/lintian"
		return 1
	}
	if grep -E '^[EW]: ' "$WORK/lintian"; then return 1; fi
}

install_beside_fence_agents() {
	dpkg-query -W -f='${Status}' fence-agents | grep -q 'install ok installed'
	touch "$MARKER"
	apt-get install -y "./$DEB" >"$WORK/apt-install.log" 2>&1 || { cat "$WORK/apt-install.log"; return 1; }
	dpkg-divert --list '*fence_ovh*' | sort | tee "$WORK/diversions"
	diff - "$WORK/diversions" <<-'EOF2'
	diversion of /usr/sbin/fence_ovh to /usr/lib/ovhfence/fence_ovh.debian by ovhfence
	diversion of /usr/share/man/man8/fence_ovh.8.gz to /usr/lib/ovhfence/fence_ovh.debian.8.gz by ovhfence
	EOF2
}

# Debian's agent and page, moved aside unchanged, and out of /usr/sbin.
debian_files_kept_aside() {
	sed -n 's|^\([0-9a-f]*\)  /usr/sbin/fence_ovh$|\1  /usr/lib/ovhfence/fence_ovh.debian|p; s|^\([0-9a-f]*\)  /usr/share/man/man8/fence_ovh.8.gz$|\1  /usr/lib/ovhfence/fence_ovh.debian.8.gz|p' \
		"$WORK/debian.before" | md5sum -c -
	/usr/lib/ovhfence/fence_ovh.debian -o metadata >"$WORK/debian-metadata.xml"
	has 'shortdesc="Fence agent for OVH"' "$WORK/debian-metadata.xml"
	[ "$(stonith_admin --list-installed | grep -c '^ *fence_ovh$')" -eq 1 ]
}

fence_ovh_is_ours() {
	[ "$(readlink /usr/sbin/fence_ovh)" = ovhfence ]
	fence_ovh -o metadata >"$WORK/metadata.xml"
	build/ovhfence agent -o metadata | cmp - "$WORK/metadata.xml"
	has 'name="ovh_config"' "$WORK/metadata.xml"
	[ "$(fence_ovh -V)" = "$(ovhfence --version)" ]
	[ "$(ovhfence --version)" = "$(build/ovhfence --version)" ]
}

pcs_and_stonith_admin_show_ours() {
	pcs stonith describe fence_ovh >"$WORK/pcs-describe.txt"
	has '\bovh_config\b' "$WORK/pcs-describe.txt"
	has '\bfence_mode\b' "$WORK/pcs-describe.txt"
	stonith_admin --metadata --agent fence_ovh >"$WORK/stonith-admin.xml"
	has 'name="ovh_config"' "$WORK/stonith-admin.xml"
}

man_finds_ours() {
	[ "$(man -w fence_ovh)" = /usr/share/man/man8/fence_ovh.8.gz ]
	zcat /usr/share/man/man8/fence_ovh.8.gz | cmp - <(fence_ovh -o manpage)
	[ "$(man -w ovhfence)" = /usr/share/man/man1/ovhfence.1.gz ]
	MANWIDTH=200 man fence_ovh >"$WORK/man-fence_ovh" 2>&1
	# Every current parameter of the agent's metadata is in its page.
	local name
	for name in $(fence_ovh -o metadata | grep '<parameter name=' | grep -v 'deprecated="1"' | sed 's/.*name="\([^"]*\)".*/\1/'); do
		has "^ +$name\b" "$WORK/man-fence_ovh"
	done
	MANWIDTH=80 man ovhfence >"$WORK/man-ovhfence" 2>&1
	has 'check \[flags\]' "$WORK/man-ovhfence"
}

completions_work() {
	local got
	got=$(bash -c '. /usr/share/bash-completion/completions/fence_ovh; COMP_WORDS=(fence_ovh -o mon); COMP_CWORD=2; _fence_ovh; echo "${COMPREPLY[*]}"')
	[ "$got" = monitor ]
	got=$(bash -c '. /usr/share/bash-completion/completions/ovhfence; COMP_WORDS=(ovhfence check --nag); COMP_CWORD=2; _ovhfence; echo "${COMPREPLY[*]}"')
	[ "$got" = --nagios ]
	zsh -n /usr/share/zsh/vendor-completions/_ovhfence
}

# The cron entry is a conffile and commented out; uncommented as its header
# says, its command line checks a key (against the simulator) and logs.
cron_entry_works_when_enabled() {
	dpkg-query -W -f='${Conffiles}\n' ovhfence | grep -q '^ /etc/cron.d/ovhfence-check [0-9a-f]*$'
	if grep -vE '^(#|$|SHELL=|PATH=)' /etc/cron.d/ovhfence-check; then return 1; fi # enabled
	ovhfence sandbox --listen 127.0.0.1:0 >"$WORK/sandbox.env" 2>"$WORK/sandbox.log" &
	echo $! >"$WORK/sandbox.pid"
	wait_for 10 grep -q '^OVH_SERVERS=' "$WORK/sandbox.env"
	local endpoint ak as ck servers conf=$WORK/ovh.conf
	endpoint=$(sed -n 's/^OVH_ENDPOINT=//p' "$WORK/sandbox.env")
	ak=$(sed -n 's/^OVH_APPLICATION_KEY=//p' "$WORK/sandbox.env")
	as=$(sed -n 's/^OVH_APPLICATION_SECRET=//p' "$WORK/sandbox.env")
	ck=$(sed -n 's/^OVH_CONSUMER_KEY=//p' "$WORK/sandbox.env")
	servers=$(sed -n 's/^OVH_SERVERS=//p' "$WORK/sandbox.env")
	printf '[default]\nendpoint=%s\n[%s]\napplication_key=%s\napplication_secret=%s\nconsumer_key=%s\n' \
		"$endpoint" "$endpoint" "$ak" "$as" "$ck" >"$conf"
	chmod 0600 "$conf"
	# Uncomment the entry, point it at the simulator, and run its command as cron would.
	sed -e 's/^#\(OVHFENCE_\|[0-9]\)/\1/' -e "s|^OVHFENCE_CONFIG=.*|OVHFENCE_CONFIG=$conf|" \
		-e "s|^OVHFENCE_SERVERS=.*|OVHFENCE_SERVERS=$servers|" /etc/cron.d/ovhfence-check >"$WORK/cron"
	local vars command
	vars=$(grep -E '^[A-Z_]+=' "$WORK/cron")
	command=$(grep -E '^[0-9]' "$WORK/cron" | cut -d' ' -f7-)
	[ -n "$command" ]
	# shellcheck disable=SC2086
	env -i $vars sh -c "$command" >"$WORK/cron.out" 2>&1
	[ ! -s "$WORK/cron.out" ] || { cat "$WORK/cron.out"; return 1; } # OK: nothing for cron to mail
	# Revoke the key: the same command now prints the CRITICAL line, which cron mails.
	curl -fsS -X POST "${endpoint%/1.0}/_sim/credentials/$ck/expire" >/dev/null
	env -i $vars sh -c "$command" >"$WORK/cron.out" 2>&1
	has '^OVHFENCE CRITICAL: ' "$WORK/cron.out"
	lacks "$as" "$WORK/cron.out"
	lacks "$ck" "$WORK/cron.out"
	stop_pid "$WORK/sandbox.pid"
}

reinstall_fence_agents_keeps_ours() {
	apt-get install -y --reinstall fence-agents >"$WORK/apt-reinstall.log" 2>&1 || { cat "$WORK/apt-reinstall.log"; return 1; }
	fence_ovh_is_ours
	[ "$(man -w fence_ovh)" = /usr/share/man/man8/fence_ovh.8.gz ]
	zcat /usr/share/man/man8/fence_ovh.8.gz | cmp - <(fence_ovh -o manpage)
	debian_files_kept_aside
}

reinstall_ours_keeps_one_diversion_each() {
	apt-get install -y --reinstall "./$DEB" >"$WORK/apt-reinstall-ours.log" 2>&1 || { cat "$WORK/apt-reinstall-ours.log"; return 1; }
	dpkg-divert --list '*fence_ovh*' | sort | diff "$WORK/diversions" -
	fence_ovh_is_ours
}

purge_restores_debian() {
	apt-get purge -y ovhfence >"$WORK/apt-purge.log" 2>&1 || { cat "$WORK/apt-purge.log"; return 1; }
	rm -f "$MARKER"
	debian_state | diff "$WORK/debian.before" -
	/usr/sbin/fence_ovh -o metadata >"$WORK/debian-metadata.xml"
	has 'shortdesc="Fence agent for OVH"' "$WORK/debian-metadata.xml"
	local path
	for path in "${OUR_PATHS[@]}"; do
		if [ -e "$path" ] || [ -L "$path" ]; then
			echo "left behind: $path"
			return 1
		fi
	done
	if dpkg-query -W -f='${Status}\n' ovhfence 2>/dev/null | grep -v 'not-installed$'; then return 1; fi
	if grep -i 'warning' "$WORK/apt-purge.log"; then return 1; fi
}

if check "make deb builds dist/ovhfence_<version>_amd64.deb" build_deb; then
	DEB=$(echo dist/ovhfence_*_amd64.deb)
	check "ar members: debian-binary, control.tar.gz, data.tar.gz (dpkg 1.16 reads gzip)" members_are_gzip
	check "control fields dpkg 1.16 knows; no dependency" control_fields_are_old_and_few
	check "one version: package, ovhfence --version, fence_ovh -V; the commit stamped" version_is_one_source
	check "dpkg -c: binary, fence_ovh symlink, man pages, completions, cron entry, docs" contents_are_complete
	check "debian/copyright (DEP-5) names every Go module in the binary" copyright_names_every_module
	check "lintian: no error or warning (overrides explained)" lintian_is_clean
	if check "apt-get install ./dist/ovhfence_*.deb beside fence-agents diverts fence_ovh and its page" install_beside_fence_agents; then
		check "Debian's fence_ovh and page kept under /usr/lib/ovhfence unchanged; one fence_ovh installed" debian_files_kept_aside
		check "fence_ovh -o metadata is ours; -V is ovhfence --version" fence_ovh_is_ours
		check "pcs stonith describe and stonith_admin --metadata show ours" pcs_and_stonith_admin_show_ours
		check "man -w fence_ovh and ovhfence find ours" man_finds_ours
		check "bash and zsh completion" completions_work
		check "/etc/cron.d/ovhfence-check: a commented-out conffile whose entry works when enabled" cron_entry_works_when_enabled
		check "apt-get install --reinstall fence-agents keeps ours" reinstall_fence_agents_keeps_ours
		check "reinstalling ovhfence keeps one diversion each" reinstall_ours_keeps_one_diversion_each
		check "apt-get purge ovhfence puts Debian's agent back byte for byte and leaves nothing" purge_restores_debian
	else
		skip_checks "the package did not install" "Debian's files kept aside" "fence_ovh is ours" "pcs/stonith_admin" \
			"man" "completions" "cron entry" "reinstall fence-agents" "reinstall ovhfence" "purge"
	fi
else
	skip_checks "make deb failed" "ar members" "control fields" "version" "dpkg -c" "copyright" "lintian" "install"
fi

restore
trap - EXIT
machine_as_before() {
	debian_state | diff "$WORK/debian.before" -
	dpkg --verify fence-agents
}
check "the machine is as before: Debian's fence_ovh and page, no diversion, fence-agents verifies" machine_as_before

passed=$(grep -c '^pass$' "$WORK/results" || true)
failed=$(grep -c '^fail$' "$WORK/results" || true)
echo "package: $(($(date +%s) - start)) s"
if [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]; then
	rm -rf "$WORK"
	echo "$passed passed, $failed failed"
	exit 0
fi
echo "package: logs kept in $WORK"
echo "$passed passed, $failed failed"
exit 1
