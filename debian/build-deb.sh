#!/bin/sh
# Lays out the Debian package of ovhfence in a staging tree and builds it with
# dpkg-deb alone: gzip members (control.tar.gz, data.tar.gz) and control fields
# that dpkg 1.16 (Debian 7, Proxmox VE 3) reads. The man pages and completions
# come from the binary itself, so they describe the agent and flags it ships.
#
# Usage: debian/build-deb.sh BINARY DISTDIR   (make deb runs it)
set -eu
bin=$(realpath "$1")
dist=$2
src=$(cd "$(dirname "$0")/.." && pwd)

version=$("$bin" --version | cut -d' ' -f2)
changelog=$(sed -n '1s/^ovhfence (\([^)]*\)).*/\1/p' "$src/debian/changelog")
if [ "$version" != "$changelog" ]; then
	echo "build-deb: the binary is version $version but debian/changelog starts with $changelog: add a changelog entry" >&2
	exit 1
fi
: "${SOURCE_DATE_EPOCH:=$(git -C "$src" log -1 --format=%ct 2>/dev/null || date +%s)}"
export SOURCE_DATE_EPOCH

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
pkg=$stage/ovhfence
doc=$pkg/usr/share/doc/ovhfence
umask 022
mkdir -p "$pkg/DEBIAN" "$pkg/usr/sbin" "$pkg/usr/share/man/man1" "$pkg/usr/share/man/man8" \
	"$doc/examples" "$pkg/usr/share/bash-completion/completions" "$pkg/usr/share/zsh/vendor-completions" \
	"$pkg/etc/cron.d" "$pkg/usr/share/lintian/overrides"

install -m 0755 "$bin" "$pkg/usr/sbin/ovhfence"
ln -s ovhfence "$pkg/usr/sbin/fence_ovh"
"$pkg/usr/sbin/fence_ovh" -o manpage | gzip -9n >"$pkg/usr/share/man/man8/fence_ovh.8.gz"
"$bin" manpage | gzip -9n >"$pkg/usr/share/man/man1/ovhfence.1.gz"
"$bin" completion bash >"$pkg/usr/share/bash-completion/completions/ovhfence"
ln -s ovhfence "$pkg/usr/share/bash-completion/completions/fence_ovh"
"$bin" completion zsh >"$pkg/usr/share/zsh/vendor-completions/_ovhfence"
install -m 0644 "$src/debian/cron.d" "$pkg/etc/cron.d/ovhfence-check"
install -m 0644 "$src/debian/lintian-overrides" "$pkg/usr/share/lintian/overrides/ovhfence"

gzip -9n <"$src/README.md" >"$doc/README.md.gz"
install -m 0644 "$src"/examples/*.cluster "$doc/examples/"
install -m 0644 "$src/debian/copyright" "$doc/copyright"
gzip -9n <"$src/debian/changelog" >"$doc/changelog.gz"

install -m 0755 "$src/debian/preinst" "$src/debian/postrm" "$pkg/DEBIAN/"
echo /etc/cron.d/ovhfence-check >"$pkg/DEBIAN/conffiles"
size=$(du -sk --apparent-size --exclude=DEBIAN "$pkg" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@INSTALLED_SIZE@/$size/" "$src/debian/control" >"$pkg/DEBIAN/control"
(cd "$pkg" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) >"$pkg/DEBIAN/md5sums"
chmod 0644 "$pkg/DEBIAN/control" "$pkg/DEBIAN/md5sums" "$pkg/DEBIAN/conffiles"
find "$pkg" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

mkdir -p "$dist"
dpkg-deb --root-owner-group -Zgzip -z9 --build "$pkg" "$dist/ovhfence_${version}_amd64.deb"
