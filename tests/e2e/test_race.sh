#!/bin/bash
# The product's claim, end to end: the seed race recorded on `buggy` with
# dio_race_delay_ms=200 (the racing fsync 100 ms into the write's 200 ms
# window) leaves a crash state that `lwfuzz replay` reports as missing-csum
# on the right file and ranges, with `--fsck` saying "some csum missing";
# the same recording on `fixed` and on `stock` replays clean. The delay
# makes the race deterministic, so every run must agree: buggy 1 of 1
# corrupt, fixed 0 of 2, stock 0 of 1. A clean replay counts only when the
# race ran to its end: the guest marks "race-done" in the log after
# race_prealloc's racing write and fsync both returned (a guest that died
# after mkfs leaves a log that replays clean too).
. "$(dirname "$0")/lib.sh"
plan 13

# record VARIANT LOG: the race workload on VARIANT into LOG.
record() {
	local data=$WORK/data.img param=()
	rm -f "$data" "$2"
	truncate -s 512M "$data"
	truncate -s 256M "$2"
	[ "$1" = stock ] || param=(-p btrfs.dio_race_delay_ms=200)
	"$LWFUZZ" vm -k "$1" "${param[@]}" -d "$data" -d "$2" -t 300 \
		-f tests/e2e/guest_record.sh -- sh /in/guest_record.sh race \
		>"$WORK/record.out" 2>&1
	local rc=$?
	sed 's/^/# /' "$WORK/record.out"
	rm -f "$data"
	return $rc
}

log=$WORK/log.img
check "race-buggy: record the race" record buggy "$log"
out=$("$LWFUZZ" replay --fsck -j "$WORK/buggy.json" "$log" 2>&1)
rc=$?
echo "$out" | grep -E 'CORRUPT|CLEAN|FINDING missing' | head -3 | sed 's/^/# /'
check "race-buggy: replay reports a failing crash state (exit 1)" test $rc = 1
check "race-buggy: missing-csum names the file and its file range" \
	grep -q 'FINDING missing-csum racy (root 5 inode 257) file \[524288, 589824)' <<<"$out"
check "race-buggy: the JSON report has the finding with file and disk ranges" \
	grep -q '"check": "missing-csum", "root": 5, "ino": 257, "path": "racy", "file_range": \[524288, 589824\], "disk_range": \[' "$WORK/buggy.json"
check "race-buggy: reading the file fails on exactly that range" \
	grep -q 'FINDING read racy file \[524288, 589824)' <<<"$out"
check "race-buggy: --fsck says some csum missing" \
	grep -q 'some csum missing' <<<"$out"
mkdir -p "$WORK/keep"
"$LWFUZZ" replay --keep "$WORK/keep" "$log" >/dev/null 2>&1
kept=$(ls "$WORK/keep" | head -1)
check "race-buggy: --keep saves the failing crash states as images" \
	test -n "$kept" -a "$(blkid -o value -s TYPE "$WORK/keep/$kept" 2>/dev/null)" = btrfs

# ran_to_end RC LOG: the guest script exited RC = 0 and marked the end of
# the race in LOG.
ran_to_end() {
	test "$1" = 0 && "$LWFUZZ" log "$2" >"$WORK/log.txt" 2>&1 &&
		grep -q ' race-done$' "$WORK/log.txt"
}

for v in fixed fixed stock; do
	record "$v" "$log" >"$WORK/record.txt"
	rc=$?
	grep 'race_prealloc' "$WORK/record.txt"
	check "race-$v: the race ran to its end (guest exit $rc, race-done mark in the log)" \
		ran_to_end "$rc" "$log" ||
		{ tail -5 "$WORK/record.txt"; tail -2 "$WORK/log.txt" | sed 's/^/# /'; }
	out=$("$LWFUZZ" replay --fsck "$log" 2>&1)
	rc=$?
	echo "$out" | grep -E 'CORRUPT|CLEAN' | sed 's/^/# /'
	check "race-$v: the same race replays clean (exit 0)" test $rc = 0
done
