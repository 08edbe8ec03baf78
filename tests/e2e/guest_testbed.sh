#!/bin/sh
# Runs in the guest (busybox sh) for test_testbed.sh. $1 is the variant.
# Every step that fails says so and exits non-zero; the log disk is checked
# on the host afterwards.
set -e
variant=$1
step() { echo "guest: $*"; }
fail() { echo "guest: FAIL: $*"; exit 1; }

[ -n "$LWFUZZ_DISK0" ] && [ -n "$LWFUZZ_DISK1" ] || fail "need two disks"
for m in dm_mod dm_log_writes btrfs; do
	[ -d /sys/module/$m ] || fail "module $m not loaded"
done
ko=$(find /lib/modules -name btrfs.ko)
tag=$(strings "$ko" | sed -n "s/^lwfuzz_variant=//p")
[ "$tag" = "$variant" ] || fail "btrfs.ko says variant '$tag', want '$variant'"
param=/sys/module/btrfs/parameters/dio_race_delay_ms
if [ "$variant" = stock ]; then
	[ ! -e $param ] || fail "stock has dio_race_delay_ms"
else
	[ "$(cat $param)" = 0 ] || fail "dio_race_delay_ms missing or not 0"
fi
step "btrfs.ko is $tag, dio_race_delay_ms $( [ -e $param ] && echo present || echo absent)"

data=$LWFUZZ_DISK0
log=$LWFUZZ_DISK1
size=$(blockdev --getsz "$data")
dmsetup create lw --noudevsync --table "0 $size log-writes $data $log"
dmsetup mknodes lw
step "dm-log-writes over $data (log $log)"
mkfs.btrfs -q -f /dev/mapper/lw
dmsetup message lw 0 mark mkfs
mkdir -p /mnt
mount -t btrfs /dev/mapper/lw /mnt
dio_smoke /mnt/file
dmsetup message lw 0 mark lwfuzz-testbed-$variant
umount /mnt
dmsetup remove lw
step "done"
