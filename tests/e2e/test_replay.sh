#!/bin/bash
# `lwfuzz replay` end to end: a log recorded on stock from a plain workload
# (fallocate, DIO and buffered writes, fsync, sync, subvolume, snapshot,
# compression, inline, rename, unlink) replays clean at every crash point,
# fsck included; bad inputs are refused with one line and exit 2.
. "$(dirname "$0")/lib.sh"
plan 19

data=$WORK/data.img
log=$WORK/log.img
truncate -s 512M "$data"
truncate -s 256M "$log"
out=$("$LWFUZZ" vm -k stock -d "$data" -d "$log" -t 300 \
	-f tests/e2e/guest_record.sh -- sh /in/guest_record.sh plain 2>&1)
check "replay: record a plain workload on stock" test $? = 0 || echo "$out" | tail -5 | sed 's/^/# /'
rm -f "$data"

"$LWFUZZ" log "$log" >"$WORK/log.txt"
echo "# $(tail -1 "$WORK/log.txt")"
check "log: the recorded log parses, mkfs mark included" grep -q ' mkfs$' "$WORK/log.txt"

start=$(date +%s.%N)
out=$("$LWFUZZ" replay --fsck -j "$WORK/report.json" "$log" 2>&1)
rc=$?
secs=$(echo "$(date +%s.%N) - $start" | bc)
echo "$out" | tail -2 | sed 's/^/# /'
points=$(sed -n 's/.*"points_checked": \([0-9]*\).*/\1/p' "$WORK/report.json")
echo "# stock plain workload: $points crash points in ${secs} s (fsck on)"
check "replay: plain workload on stock is clean at every crash point (exit 0)" test $rc = 0
check "replay: ... and it checked crash points (> 5)" test "${points:-0}" -gt 5
check "replay: the report says clean" grep -q '"verdict": "clean"' "$WORK/report.json"

# Bad inputs: one line, exit 2, nothing touched.
head -c 1M /dev/urandom >"$WORK/noise"
out=$("$LWFUZZ" replay "$WORK/noise" 2>&1)
check "replay: a file that is not a log is refused (exit 2)" test $? = 2 -a "$(wc -l <<<"$out")" = 1
out=$("$LWFUZZ" replay /dev/vda 2>&1)
check "replay: a host block device is refused (exit 2)" \
	test $? = 2 -a -n "$(grep -o 'block device of this machine' <<<"$out")"
truncate -s 64M "$WORK/ext4.img"
mkfs.ext4 -q -F "$WORK/ext4.img"
sum=$(md5sum <"$WORK/ext4.img")
out=$("$LWFUZZ" replay "$log" "$WORK/ext4.img" 2>&1)
check "replay: an image that is not btrfs is refused (exit 2)" \
	test $? = 2 -a -n "$(grep -o 'holds ext4, not btrfs' <<<"$out")"
check "replay: ... and left untouched" test "$(md5sum <"$WORK/ext4.img")" = "$sum"
truncate -s 16M "$WORK/small.img"
out=$("$LWFUZZ" replay "$log" "$WORK/small.img" 2>&1)
check "replay: a log larger than the target is refused (exit 2)" \
	test $? = 2 -a -n "$(grep -o 'past the device' <<<"$out")"

# Data expectations carried by marks: a kept promise passes everywhere, a
# broken one (rewritten and fsynced without being forgotten) is reported,
# and only at crash points after the rewrite reached the disk.
data=$WORK/data.img
truncate -s 512M "$data"
truncate -s 256M "$WORK/elog.img"
"$LWFUZZ" vm -k stock -d "$data" -d "$WORK/elog.img" -t 300 \
	-f tests/e2e/guest_record.sh -- sh /in/guest_record.sh expect >/dev/null 2>&1
check "replay: record the expectation workload" test $? = 0
rm -f "$data"
out=$("$LWFUZZ" replay -j "$WORK/expect.json" "$WORK/elog.img" 2>&1)
rc=$?
check "replay: a broken promise fails the replay (exit 1)" test $rc = 1
check "replay: ... as a data finding on the file and range promised" \
	grep -q 'FINDING data broken file \[0, 8192): promised at log entry' <<<"$out"
check "replay: the kept promise is never reported" lacks 'FINDING data kept' "$out"
made=$("$LWFUZZ" log "$WORK/elog.img" | awk '$NF == "promises-made" { print $1 }')
first=$(sed -n 's/.*{"point": [0-9]*, "entry": \([0-9]*\).*/\1/p' "$WORK/expect.json" | head -1)
echo "# promises made at entry $made, first failing crash point at entry $first"
check "replay: no data finding before the promise was broken" \
	test -n "$first" -a -n "$made" -a "${first:-0}" -gt "${made:-0}"

# The same log in two VMs at once, each checking half of the crash points:
# the second half's VM replays the first half's entries (and promises)
# unchecked, so it finds what one VM finds there.
"$LWFUZZ" replay --jobs 2 -j "$WORK/expect2.json" "$WORK/elog.img" \
	>"$WORK/jobs.txt" 2>&1
rc=$?
grep '^replay: part' "$WORK/jobs.txt" | sed 's/^/# /'
check "replay --jobs 2: two VMs checked a part each (exit $rc; 1 as with one)" \
	bash -c "test $rc = 1 && grep -q '^replay: part 1 of 2' '$WORK/jobs.txt' &&
		 grep -q '^replay: part 2 of 2' '$WORK/jobs.txt'"
failed_points() {
	grep -o '"point": [0-9]*, "entry": [0-9]*\|"points_[a-z]*": [0-9]*' "$1"
}
failed_points "$WORK/expect2.json" | tr '\n' ' ' | sed 's/^/# --jobs 2: /; s/$/\n/'
check "replay --jobs 2: the same failing crash points and counts as one VM" \
	test -n "$(failed_points "$WORK/expect.json")" -a \
	"$(failed_points "$WORK/expect.json")" = "$(failed_points "$WORK/expect2.json")"
# The carried promise: made before part 2's first crash point, broken in
# part 2.
from2=$(sed -n 's/^replay: part 2 of 2: crash points \([0-9]*\) to .*/\1/p' "$WORK/jobs.txt")
entry2=$(grep -o '"point": [0-9]*, "entry": [0-9]*' "$WORK/expect2.json" |
	awk -v from="${from2:-0}" '$2 + 0 >= from + 0 { print $4; exit }')
echo "# part 2 from point ${from2:-?}; its first failure at entry ${entry2:-none}; promise made at entry ${made:-?}"
check "replay --jobs 2: part 2 failed a promise made before its first point" \
	test -n "$from2" -a -n "$entry2" -a -n "$made" -a "${entry2:-0}" -gt "${made:-0}"

# A part that cannot finish fails the whole replay and leaves no guest.
run_seeing_qemu "$WORK/jt.txt" env TMPDIR="$WORK" "$LWFUZZ" replay --jobs 2 \
	-t 1 "$WORK/elog.img"
rc=$?
qemu=$QEMU_PIDS
grep -m2 'lwfuzz' "$WORK/jt.txt" | sed 's/^/# /'
stopped_clean() { test "$1" = 2 && qemu_gone "$2"; }
check "replay --jobs 2 -t 1: exit 2 (was $rc) and no QEMU left (${qemu:-none seen} ran)" \
	stopped_clean "$rc" "$qemu"
