#!/bin/bash
# lwfuzz and the host. A real block device of this machine (a loop device
# over a file of random bytes the test made) named in every place a
# command takes a path (a VM disk, a log, a replay image, an output) is
# refused with one line, and its bytes are unchanged; files lwfuzz did not
# create (a recorded log, a finding, a directory with files in it) are left
# byte for byte as they were.
. "$(dirname "$0")/lib.sh"
plan 15

backing=$WORK/backing.img
head -c 16M /dev/urandom >"$backing"
before=$(md5sum <"$backing")
if ! dev=$(losetup -f --show "$backing" 2>/dev/null); then
	bail_out "host: losetup (the test needs root and loop devices)"
fi
on_exit 'losetup -d "$dev"'
echo "# host block device under test: $dev"

# refused NAME EXPECTED-STATUS PATTERN CMD...: one line (or a usage line)
# matching PATTERN, that exit status.
refused() {
	local name=$1 want=$2 pat=$3 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	check "host: $name: refused (exit $want)" \
		bash -c "test $rc = $want && test \$(grep -c . <<<\"\$0\") = 1 &&
			 grep -q -- \"\$1\" <<<\"\$0\"" "$out" "$pat" ||
		echo "$out" | head -3 | sed 's/^/# /'
}

printf 'open f0 creat\npwrite f0 0 8K seed=1\nfsync f0\n' >"$WORK/w.lw"
refused "vm --disk DEVICE" 125 'block devices are refused' \
	"$LWFUZZ" vm -k stock -d "$dev" -- true
refused "replay DEVICE (as the log)" 2 'block device of this machine' \
	"$LWFUZZ" replay "$dev"
refused "fuzz --out DEVICE" 2 'exists' \
	"$LWFUZZ" fuzz -k stock -t 10s -c "$WORK" -o "$dev"
refused "run --out DEVICE" 2 'not an empty directory' \
	"$LWFUZZ" run -k stock -o "$dev" "$WORK/w.lw"
refused "minimize --out DEVICE" 2 'not a regular file' \
	"$LWFUZZ" minimize -k stock -o "$dev" "$WORK/w.lw"
refused "export-fstests over DEVICE" 2 'exists' \
	"$LWFUZZ" export-fstests -o "$(dirname "$dev")" -n "$(basename "$dev")" "$WORK/w.lw"
out=$("$LWFUZZ" log "$dev" 2>&1)
rc=$?
check "host: log DEVICE reads it (random bytes: not a log, exit 2)" \
	bash -c "test $rc = 2 && grep -q 'not a dm-log-writes log: magic' <<<\"\$0\"" "$out"

# A real log and finding: the seed race on buggy (`lwfuzz run --out`
# keeps the log of a failing run).
# (Its QEMU, seen running, is the one "no QEMU left" at the end is about.)
run_seeing_qemu "$WORK/run.txt" "$LWFUZZ" run -k buggy -d 200 -o "$WORK/f" corpus/seeds/prealloc-race.lw
qemu=$QEMU_PIDS
check "host: record a finding directory with lwfuzz run" test -s "$WORK/f/run-1/log.img" ||
	tail -5 "$WORK/run.txt" | sed 's/^/# /'
refused "replay LOG DEVICE (as the data image)" 2 'block device of this machine' \
	"$LWFUZZ" replay "$WORK/f/run-1/log.img" "$dev"
check "host: the device's bytes are unchanged after all of the above" \
	bash -c "test \"\$(md5sum <'$backing')\" = '$before' &&
		 cmp -s '$backing' '$dev'"

# Files lwfuzz did not create: read, never written.
(cd "$WORK/f" && find . -type f -print0 | sort -z | xargs -0 md5sum) >"$WORK/f.sums"
rcs=
"$LWFUZZ" log "$WORK/f/run-1/log.img" >/dev/null
rcs+=$?
"$LWFUZZ" replay -k buggy "$WORK/f/run-1/log.img" >/dev/null 2>&1
rcs+=$?
"$LWFUZZ" repro -k buggy -n 0 "$WORK/f" >/dev/null 2>&1
rcs+=$?
"$LWFUZZ" export-fstests -o "$WORK/fstests" -n 900 "$WORK/f" >/dev/null 2>&1
rcs+=$?
# (log 0, replay and repro 1: the finding is there, export 0)
check "host: log, replay, repro and export-fstests ran (exit $rcs) and left a finding and its log untouched" \
	bash -c "test $rcs = 0110 && cd '$WORK/f' && md5sum --quiet -c '$WORK/f.sums'"
mkdir -p "$WORK/mine"
echo precious >"$WORK/mine/output.txt"
refused "run --out DIR with the user's files in it" 2 'not an empty directory' \
	"$LWFUZZ" run -k stock -o "$WORK/mine" "$WORK/w.lw"
refused "export-fstests over an existing test" 2 'exists' \
	"$LWFUZZ" export-fstests -o "$WORK/fstests" -n 900 "$WORK/f"
check "host: ... the user's file is as it was" \
	test "$(cat "$WORK/mine/output.txt")" = precious
check "host: no QEMU left (lwfuzz run's QEMU ran: ${qemu:-none seen})" qemu_gone "$qemu"
