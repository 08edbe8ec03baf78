#!/bin/sh
# Runs in the guest: records a workload on btrfs over dm-log-writes
# ($LWFUZZ_DISK0 data, $LWFUZZ_DISK1 log) with a "mkfs" mark after mkfs,
# the fstests convention the replayer starts from.
#   guest_record.sh plain   fallocate, DIO, buffered writes, fsync, sync,
#                           subvolume, snapshot, compression, inline,
#                           reflink, NOCOW, rename, unlink
#   guest_record.sh race    the seed race (tests/guest/race_prealloc.c)
#   guest_record.sh expect  data expectation marks, one kept, one broken
#   guest_record.sh many N  N small writes, each fdatasync'ed
set -e
data=$LWFUZZ_DISK0
log=$LWFUZZ_DISK1
size=$(blockdev --getsz "$data")
dmsetup create lw --noudevsync --table "0 $size log-writes $data $log"
dmsetup mknodes lw
mkfs.btrfs -q -f /dev/mapper/lw >/dev/null
dmsetup message lw 0 mark mkfs
mkdir -p /mnt
mount -t btrfs /dev/mapper/lw /mnt

case "$1" in
plain)
	dio_smoke /mnt/prealloc
	dd if=/dev/urandom of=/mnt/buffered bs=64k count=16 2>/dev/null
	sync -d /mnt/buffered
	dmsetup message lw 0 mark buffered-fsynced
	btrfs -q subvolume create /mnt/sv
	dd if=/dev/urandom of=/mnt/sv/file bs=4k count=33 2>/dev/null
	sync
	btrfs -q subvolume snapshot /mnt/sv /mnt/sv-snap
	dd if=/dev/urandom of=/mnt/sv/file bs=4k count=8 seek=4 conv=notrunc 2>/dev/null
	sync -d /mnt/sv/file
	mkdir /mnt/z
	btrfs property set /mnt/z compression zstd
	yes lwfuzz-compressible | head -c 1048576 >/mnt/z/text
	sync -d /mnt/z/text
	echo small >/mnt/inline
	sync -d /mnt/inline
	# A partial reflink: the clone's extent items reference parts of
	# the source's disk extents (csum items start before them).
	fs_ops reflink /mnt/buffered /mnt/clone
	dd if=/dev/urandom of=/mnt/clone bs=4k count=3 seek=5 conv=notrunc 2>/dev/null
	sync -d /mnt/clone
	# NODATASUM: a NOCOW file's extents have no checksums, rightly.
	fs_ops nocow /mnt/nocow
	dd if=/dev/urandom of=/mnt/nocow bs=64k count=4 conv=notrunc 2>/dev/null
	sync -d /mnt/nocow
	mv /mnt/buffered /mnt/renamed
	rm /mnt/inline
	sync
	dmsetup message lw 0 mark workload-done
	;;
expect)
	# Durability promises as marks: after each fsync, what it promised.
	# The last promise is deliberately broken (the range is rewritten
	# and fsynced without forgetting it), so the data check must fail
	# from the second fsync on.
	dd if=/dev/urandom of=/mnt/kept bs=4k count=4 2>/dev/null
	sync -d /mnt/kept
	dmsetup message lw 0 mark "$(lwfuzz-agent expect-mark /mnt /mnt/kept 0 16384)"
	dd if=/dev/urandom of=/mnt/broken bs=4k count=2 2>/dev/null
	sync -d /mnt/broken
	dmsetup message lw 0 mark "$(lwfuzz-agent expect-mark /mnt /mnt/broken 0 8192)"
	dmsetup message lw 0 mark promises-made
	dd if=/dev/urandom of=/mnt/broken bs=4k count=1 conv=notrunc 2>/dev/null
	sync -d /mnt/broken
	dmsetup message lw 0 mark broken-rewritten
	;;
many)
	# $2 rounds of a 4 KiB write plus fdatasync over four files: a log
	# with many crash points, for the benchmark.
	for i in $(seq "$2"); do
		f=/mnt/f$((i % 4))
		dd if=/dev/urandom of=$f bs=4k count=1 seek=$((i % 64)) conv=notrunc 2>/dev/null
		sync -d $f
	done
	;;
race)
	# The seed race; the host sets btrfs.dio_race_delay_ms.
	race_prealloc /mnt/racy
	dmsetup message lw 0 mark race-done
	;;
*)
	echo "unknown workload $1" >&2
	exit 2
	;;
esac
umount /mnt
dmsetup remove lw
