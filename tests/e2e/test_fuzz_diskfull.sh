#!/bin/bash
# The host disk fills up under a campaign. OUT lives on a 640 MiB tmpfs
# that the test fills at a chosen moment: while the guest sits in a
# test-only hang (LWFUZZ_TEST_FAULT) during the seeds, and later while
# AFL++ drives it. Each time the campaign stops with one line that says
# why and how to go on, files nothing half-written, leaves no QEMU and no
# disk image; once space is freed, --resume files what it could not and
# goes on. A file system too small to start on is refused up front, and a
# finding that cannot be stored (its own full file system) stops it too.
# Each "no QEMU" follows a QEMU of that campaign seen running before it
# stopped.
. "$(dirname "$0")/lib.sh"
plan 12

mnt=$WORK/small
tiny=$WORK/tiny
mkdir -p "$mnt" "$tiny"
if ! mount -t tmpfs -o size=640m lwfuzz-e2e "$mnt" ||
	! mount -t tmpfs -o size=64m lwfuzz-e2e "$tiny"; then
	umount "$mnt" 2>/dev/null
	bail_out "diskfull: mount two tmpfs (the test needs root)"
fi
on_exit 'umount "$mnt/e/findings" "$mnt" "$tiny" 2>/dev/null'

seeds=$WORK/seeds
mkdir -p "$seeds" "$WORK/okseeds"
printf 'open f0 creat\npwrite f0 0 8K seed=1\nfsync f0\n' >"$WORK/okseeds/ok.lw"
cp "$WORK/okseeds/ok.lw" "$seeds/"
printf 'open f0 creat\npwrite f0 0 4K seed=1\nfsync f0\nmark 14\n' >"$seeds/stuck.lw"

# Fill the tmpfs to the last block.
fill() {
	dd if=/dev/zero of="$mnt/filler" bs=1M status=none 2>/dev/null
	echo "# filled: $(df -k --output=avail "$mnt" | tail -1 | tr -d ' ') KiB left"
}

# lines_matching PATTERN FILE: how many lines of FILE match.
lines_matching() { grep -c -- "$1" "$2"; }

# none_left OUT SEEN: no disk image of OUT's VMs and no QEMU left (SEEN:
# the campaign's QEMU, seen running before it stopped).
none_left() {
	! ls "$1"/.vm-*/*.img 2>/dev/null | grep -q . && qemu_gone "$2"
}

# nothing_left OUT SEEN: none_left, and nothing half-written in
# OUT/findings.
nothing_left() {
	! ls -a "$1"/findings | grep -q '^\.new' && none_left "$1" "$2"
}

# 0. Too little room for a VM's disk images: refused before anything.
"$LWFUZZ" fuzz -k stock -t 1m -c "$seeds" -o "$tiny/c" >"$WORK/c0.txt" 2>&1
rc=$?
sed 's/^/# /' "$WORK/c0.txt"
check "diskfull: a file system too small to start on: one line, exit 2, nothing created" \
	bash -c "test $rc = 2 && test \$(wc -l <'$WORK/c0.txt') = 1 &&
		 grep -q 'MiB free' '$WORK/c0.txt' && test ! -e '$tiny/c'"

# 1. Full while the guest hangs on a seed: the hang cannot be filed.
LWFUZZ_TEST_FAULT=hang:14 "$LWFUZZ" fuzz -k stock -t 5m -T 5 -c "$seeds" \
	-o "$mnt/c" >"$WORK/c1.txt" 2>&1 &
pid=$!
wait_for_line 180 'test fault: hanging at mark 14' "$mnt/c/vm-0.txt"
qemu=$(wait_for_qemu 10)
fill
wait $pid
rc=$?
grep 'lwfuzz:' "$WORK/c1.txt" | sed 's/^/# /'
check "diskfull: during the seeds: the campaign stops (exit 2) with one line naming the free space and --resume" \
	bash -c "test $rc = 2 && test $(lines_matching 'the campaign stops' "$WORK/c1.txt") = 1 &&
		 grep -q 'KiB free.*free space, then .lwfuzz fuzz --resume' '$WORK/c1.txt'"
check "diskfull: ... no finding filed, none half-written, the stuck seed kept for --resume" \
	bash -c "test -z \"\$(ls -A '$mnt/c/findings')\" && test -e '$mnt/c/seeds/stuck.bin'"
check "diskfull: ... no QEMU (${qemu:-none seen} ran) and no disk image left" \
	none_left "$mnt/c" "$qemu"

# 2. Space freed: --resume runs the seeds again (AFL++ never started) and
# files the hang.
rm -f "$mnt/filler"
LWFUZZ_TEST_FAULT=hang:14 "$LWFUZZ" fuzz -k stock -t 20s -T 5 --resume \
	-o "$mnt/c" >"$WORK/c2.txt" 2>&1
rc=$?
grep -E 'seed|finding' "$WORK/c2.txt" | head -4 | sed 's/^/# /'
check "diskfull: --resume after freeing space files the hang (exit 1)" \
	bash -c "test $rc = 1 && grep -q '^hang: ' '$mnt'/c/findings/*/signature"
check "diskfull: ... and AFL++ ran on the seed that passes" \
	test -s "$mnt/c/afl/main/fuzzer_stats"

# 3. Full while AFL++ drives the VM: the input in flight is kept in
# OUT/pending; --resume runs it first, then AFL++ resumes its queue.
"$LWFUZZ" fuzz -k stock -t 5m -c "$WORK/okseeds" -o "$mnt/d" >"$WORK/d1.txt" 2>&1 &
pid=$!
wait_for_lines 240 4 "$mnt/d/.vm-0/executions"
qemu=$(wait_for_qemu 10)
fill
wait $pid
rc=$?
grep 'lwfuzz:' "$WORK/d1.txt" | sed 's/^/# /'
npend=$(ls "$mnt/d/pending" | wc -l)
check "diskfull: under AFL++: the campaign stops (exit 2), one line, the input in flight kept ($npend in OUT/pending)" \
	bash -c "test $rc = 2 && test $(lines_matching 'the campaign stops' "$WORK/d1.txt") = 1 &&
		 test $npend -ge 1"
check "diskfull: ... nothing half-written in findings/, no QEMU (${qemu:-none seen} ran), no disk image" \
	nothing_left "$mnt/d" "$qemu"
rm -f "$mnt/filler"
run_seeing_qemu "$WORK/d2.txt" "$LWFUZZ" fuzz -k stock -t 20s --resume -o "$mnt/d"
rc=$?
qemu=$QEMU_PIDS
grep -E 'pending|resuming|unique' "$WORK/d2.txt" | head -4 | sed 's/^/# /'
# (exit 1 is allowed: stock's own log-transaction-0 bug, corpus/crashes.)
check "diskfull: --resume runs the kept input first, then resumes AFL++" \
	bash -c "test $rc -le 1 && grep -q '^fuzz: pending ' '$WORK/d2.txt' &&
		 grep -q 'resuming' '$WORK/d2.txt' && test -z \"\$(ls -A '$mnt/d/pending')\""
check "diskfull: no QEMU left (the resumed campaign's QEMU ran: ${qemu:-none seen})" qemu_gone "$qemu"

# 4. OUT has room but the finding cannot be stored (findings/ is a full
# tmpfs of its own): the campaign stops the same way, nothing half-written.
LWFUZZ_TEST_FAULT=hang:14 "$LWFUZZ" fuzz -k stock -t 5m -T 5 -c "$seeds" \
	-o "$mnt/e" >"$WORK/e1.txt" 2>&1 &
pid=$!
wait_for_line 180 'test fault: hanging at mark 14' "$mnt/e/vm-0.txt"
qemu=$(wait_for_qemu 10)
mount -t tmpfs -o size=64k lwfuzz-e2e "$mnt/e/findings" &&
	dd if=/dev/zero of="$mnt/e/findings/.filler" bs=4k status=none 2>/dev/null
wait $pid
rc=$?
grep 'lwfuzz:' "$WORK/e1.txt" | sed 's/^/# /'
check "diskfull: a finding that cannot be stored stops the campaign (exit 2): why, and --resume" \
	bash -c "test $rc = 2 && grep -q 'cannot store the finding.*No space left' '$WORK/e1.txt' &&
		 grep -q 'a finding could not be stored (above); the campaign stops' '$WORK/e1.txt'"
# unstored SEEN: nothing of the finding in findings/, the seed kept, no
# QEMU left.
unstored() {
	test "$(ls -A "$mnt/e/findings")" = .filler && test -e "$mnt/e/seeds/stuck.bin" &&
		qemu_gone "$1"
}
check "diskfull: ... nothing of it in findings/, the seed kept, no QEMU (${qemu:-none seen} ran)" \
	unstored "$qemu"
umount "$mnt/e/findings"
