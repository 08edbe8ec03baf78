#!/bin/bash
# The test bed end to end, for each variant: boot it, load dm-mod,
# dm-log-writes and the variant's btrfs.ko, check dio_race_delay_ms is there
# exactly where it should be, build dm-log-writes over two virtio disks,
# mkfs.btrfs, mount, fallocate + O_DIRECT write + fsync, mark, unmount,
# remove the target. Then, on the host, read the log disk's super block and
# look for the mark.
. "$(dirname "$0")/lib.sh"
plan 9

# le64 at byte offset $2 of file $1, as a decimal number.
le64() {
	od -A n -t u8 -j "$2" -N 8 "$1" | tr -d ' '
}

for v in stock buggy fixed; do
	data=$WORK/$v-data.img
	log=$WORK/$v-log.img
	truncate -s 512M "$data"
	truncate -s 256M "$log"
	start=$(date +%s.%N)
	out=$("$LWFUZZ" vm -k "$v" -d "$data" -d "$log" -t 180 \
		-f tests/e2e/guest_testbed.sh -- sh /in/guest_testbed.sh "$v" 2>&1)
	rc=$?
	secs=$(echo "$(date +%s.%N) - $start" | bc)
	echo "# $v: guest run took ${secs} s"
	if [ $rc -ne 0 ]; then
		echo "$out" | tail -20 | sed 's/^/# /'
		not_ok "testbed-$v: guest script (exit $rc)"
		skip "testbed-$v: log super block" "the guest script failed"
		skip "testbed-$v: mark in the log" "the guest script failed"
		continue
	fi
	ok "testbed-$v: guest script"
	magic=$(od -A n -t x8 -N 8 "$log" | tr -d ' ')
	version=$(le64 "$log" 8)
	entries=$(le64 "$log" 16)
	echo "# $v: log magic $magic version $version entries $entries"
	check "testbed-$v: log super block (magic, version 1, entries > 0)" \
		test "$magic" = 006a736677736872 -a "$version" = 1 -a "${entries:-0}" -gt 0
	check "testbed-$v: mark in the log" \
		grep -q -a "lwfuzz-testbed-$v" "$log"
	rm -f "$data" "$log"
done
