#!/bin/bash
# `make run` until the fuzzer lands: the test bed's smoke demo. Boots the
# buggy variant, records mkfs.btrfs and a fallocate + O_DIRECT write + fsync
# through dm-log-writes, and prints what the log holds.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/lwfuzz-demo.XXXXXX)
trap 'rm -rf "$work"' EXIT
truncate -s 512M "$work/data.img"
truncate -s 256M "$work/log.img"
echo "== booting the buggy kernel; the guest records a small workload"
bin/lwfuzz vm -k buggy -d "$work/data.img" -d "$work/log.img" -t 180 \
	-f tests/e2e/guest_testbed.sh -- sh /in/guest_testbed.sh buggy
le64() { od -A n -t u8 -j "$2" -N 8 "$1" | tr -d ' '; }
echo "== the dm-log-writes log on the host"
printf 'magic      0x%s\n' "$(od -A n -t x8 -N 8 "$work/log.img" | tr -d ' ')"
echo "version    $(le64 "$work/log.img" 8)"
echo "entries    $(le64 "$work/log.img" 16)"
echo "sectorsize $(od -A n -t u4 -j 24 -N 4 "$work/log.img" | tr -d ' ')"
echo "marks      $(grep -a -o -E 'mkfs|lwfuzz-testbed-[a-z]+|dm-log-writes-end' "$work/log.img" | tr '\n' ' ')"
