#!/bin/bash
# What compiling bin/lwfuzz itself needs, before `lwfuzz setup` can install
# the rest: a compiler, pkg-config and the headers of libblkid, json-c and libkmod. Installs them when missing
# (as root); otherwise says what to install.
set -u
pkgs=(gcc make libc6-dev pkg-config libblkid-dev libjson-c-dev libkmod-dev)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f '${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "lwfuzz: error: missing build packages: ${missing[*]}; run 'apt-get install ${missing[*]}' as root" >&2
	exit 1
fi
echo "lwfuzz: apt-get install ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null ||
	{ apt-get update -q >/dev/null &&
	  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; } ||
	{ echo "lwfuzz: error: 'apt-get install ${missing[*]}' failed; run it by hand to see why" >&2; exit 1; }
