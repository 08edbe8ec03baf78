#!/bin/bash
# A built kernel tree as a btrfs developer has one, for `lwfuzz setup --own
# NAME --tree DIR` and its test: Debian's linux-source of a series (the
# tarball `lwfuzz setup -s SERIES` installed in /usr/src), configured as
# x86_64_defconfig plus kvm_guest.config (virtio, serial console) with
# btrfs and the device-mapper targets lwfuzz loads as modules, built with
# `make bzImage modules`.
#
#   scripts/build-kernel-tree.sh [SERIES]     (6.12 by default)
#
# Prints the tree's directory on stdout. Kept in the cache
# ($LWFUZZ_CACHE/trees/SERIES) and rebuilt only when the recipe below
# (bump recipe when it changes) or the source tarball changed. About 15
# minutes on 2 cores.
set -euo pipefail
series=${1:-6.12}
cache=${LWFUZZ_CACHE:-$HOME/.cache/lwfuzz}
tarball=/usr/src/linux-source-$series.tar.xz
top=$cache/trees/$series
tree=$top/linux-source-$series

if [ ! -f "$tarball" ]; then
	echo "build-kernel-tree: no $tarball; run 'lwfuzz setup -s $series' first" >&2
	exit 2
fi
recipe=1
stamp="recipe $recipe, $(stat -c '%s %Y' "$tarball")"
if [ -f "$top/stamp" ] && [ "$(cat "$top/stamp")" = "$stamp" ] &&
	[ -f "$tree/arch/x86/boot/bzImage" ]; then
	echo "$tree"
	exit 0
fi

# Kbuild's host tools.
pkgs=(flex bison bc libelf-dev libssl-dev)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f '${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "build-kernel-tree: missing packages: ${missing[*]}; run 'apt-get install ${missing[*]}' as root" >&2
		exit 2
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}" >/dev/null
fi

rm -rf "$top"
mkdir -p "$top"
log=$top/build.log
echo "build-kernel-tree: building $tree (log: $log)" >&2
tar -xf "$tarball" -C "$top"
cd "$tree"
{
	make x86_64_defconfig
	make kvm_guest.config
	# What the guest loads (setup/initramfs_base.c), as modules.
	scripts/config --enable MD --module BLK_DEV_DM --module DM_SNAPSHOT \
		--module DM_LOG_WRITES --module DM_DELAY --module DM_FLAKEY \
		--module DM_THIN_PROVISIONING --module BTRFS_FS \
		--enable BTRFS_FS_POSIX_ACL --enable DEVTMPFS \
		--enable BLK_DEV_INITRD --enable MAGIC_SYSRQ \
		--disable DEBUG_INFO --disable DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT \
		--disable DEBUG_INFO_DWARF5 --disable DEBUG_INFO_BTF
	make olddefconfig
	nice make -j"$(nproc)" bzImage modules
} >"$log" 2>&1 || {
	echo "build-kernel-tree: the build failed; see $log" >&2
	exit 1
}
echo "$stamp" >"$top/stamp"
echo "$tree"
