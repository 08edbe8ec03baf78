#!/bin/sh
# Runs in the guest: the reference method, as fstests generic/482 checks a
# dm-log-writes log, for the benchmark. For each FUA entry (listed in
# /in/fua.txt): replay up to it, dm-snapshot the replayed device, mount and
# unmount it (btrfs replays its log tree), `btrfs check --readonly`, drop
# the snapshot. Replay is incremental (generic/482 replays from entry 0
# each time; this is the faster variant of the reference).
# $1 log, $2 target, $3 cow.
log=$1 target=$2 cow=$3
size=$(blockdev --getsz "$target")
prev=0 n=0 bad=0
mkdir -p /mnt/ref
t0=$(cut -d' ' -f1 /proc/uptime)
for e in $(cat /in/fua.txt); do
	lwfuzz-agent apply "$log" "$target" "$prev" "$e" || exit 2
	prev=$((e + 1))
	dmsetup create ref --noudevsync --table "0 $size snapshot $target $cow N 8"
	dmsetup mknodes ref
	mount -t btrfs /dev/mapper/ref /mnt/ref && umount /mnt/ref
	btrfs check --readonly /dev/mapper/ref >/dev/null 2>&1 || bad=$((bad + 1))
	dmsetup remove ref
	n=$((n + 1))
done
t1=$(cut -d' ' -f1 /proc/uptime)
echo "bench: reference points $n seconds $(echo "$t1 - $t0" | bc) failed $bad"
