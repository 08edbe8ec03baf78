#!/bin/bash
# A campaign survives its guest: a kernel panic and a workload stuck for
# good (both injected by the test-only LWFUZZ_TEST_FAULT, on "mark 14")
# are filed as findings with the guest's console, the VM is restarted and
# the campaign goes on; a QEMU killed with SIGKILL is restarted and not
# filed; a second campaign on the same directory is refused; Ctrl-C and
# SIGTERM end it cleanly and --resume continues it; nothing is left
# half-written and no QEMU, afl-fuzz or disk image is left behind. (The
# host disk filling up is test_fuzz_diskfull.sh.) Each "no QEMU left"
# follows a QEMU of that campaign seen running before the stop.
. "$(dirname "$0")/lib.sh"
plan 16

seeds=$WORK/seeds
mkdir -p "$seeds"
printf 'open f0 creat\npwrite f0 0 8K seed=1\nfsync f0\n' >"$seeds/ok.lw"
printf 'open f0 creat\npwrite f0 0 4K seed=1\nfsync f0\nmark 14\n' >"$seeds/fault.lw"
corpus_sums=$(cd "$seeds" && md5sum ./*)

# 1. A panic: filed, restarted, the campaign goes on; Ctrl-C ends it.
LWFUZZ_TEST_FAULT=panic:14 "$LWFUZZ" fuzz -k stock -t 5m -c "$seeds" \
	-o "$WORK/p" >"$WORK/p.txt" 2>&1 &
pid=$!
wait_for_line 120 'restarts 1' "$WORK/p.txt"
sleep 12
# QEMU killed from outside: restarted, and not a finding of the kernel's.
pkill -9 -f "[q]emu-system-x86_64.*$WORK/p/" 
wait_for_line 120 'restarts 2' "$WORK/p.txt"
check "faults: QEMU killed with SIGKILL: the VM restarts, no finding filed" \
	bash -c "grep -q 'without a kernel message' '$WORK/p.txt' &&
		 test \$(grep -l '^kernel-crash' '$WORK'/p/findings/*/signature | wc -l) = 1 &&
		 ! grep -q 'no message' '$WORK'/p/findings/*/signature"
sleep 8
second=$("$LWFUZZ" fuzz -k stock -t 10s --resume -o "$WORK/p" 2>&1)
check "faults: a second campaign on the same directory is refused" \
	grep -q 'in use by another campaign' <<<"$second"
qemu=$(wait_for_qemu 30)
kill -INT $pid
wait $pid
rc=$?
sed -n '/seed\|guest\|finding/p' "$WORK/p.txt" | head -6 | sed 's/^/# /'
check "faults: Ctrl-C ends the campaign with its verdict (exit 1: a finding)" test $rc = 1
check "faults: the panic is a kernel-crash finding" \
	grep -q '^kernel-crash: Kernel panic - not syncing: sysrq triggered crash/' "$WORK"/p/findings/*/signature
check "faults: the finding keeps the guest console and the workload" \
	bash -c "grep -q 'sysrq' '$WORK'/p/findings/*/console.txt &&
		 grep -q 'mark 14' '$WORK'/p/findings/*/workload.lw"
after=$(sed -n 's/.* \([0-9]*\) executions.*restarts [12].*/\1/p' "$WORK/p.txt" | tail -1)
check "faults: the campaign ran on after the restart (${after:-0} executions)" \
	test "${after:-0}" -gt 2
check "faults: nothing half-written in findings/" \
	bash -c "! ls -a '$WORK'/p/findings | grep -q '^\.new'"
# The clean seed's thread sites, kept for the mutator (the faulting seed
# never finished: none for it).
ss=$(find "$WORK/p/seed-sites" -type f -size 4120c 2>/dev/null | wc -l)
check "faults: the clean seed's thread sites are kept for the mutator (seed-sites: ${ss:-0} file)" \
	test "$ss" = 1
check "faults: no QEMU left after Ctrl-C (its QEMU ran: ${qemu:-none seen})" qemu_gone "$qemu"

# 2. --resume continues it (AFL++'s queue, the findings) for a while.
# (The resumed part may file new findings: the deterministic stage forks
# the seed's fsync, and two racing fsyncs of a new file hit the 6.1 bug of
# corpus/crashes/README.md on stock.)
before=$(cat "$WORK"/p/.vm-0/executions | wc -l)
"$LWFUZZ" fuzz -k stock -t 5m --resume -c "$seeds" -o "$WORK/p" >"$WORK/r.txt" 2>&1 &
pid=$!
wait_for_lines 180 $((before + 3)) "$WORK/p/.vm-0/executions"
# SIGTERM in the middle of an execution (one runs all the time).
qemu=$(wait_for_qemu 30)
kill -TERM $pid
wait $pid
rc=$?
after=$(cat "$WORK"/p/.vm-0/executions | wc -l)
grep -E 'resuming|unique' "$WORK/r.txt" | sed 's/^/# /'
check "faults: --resume continues the campaign ($before -> $after executions, the panic finding kept)" \
	bash -c "test $rc = 1 && grep -q 'resuming' '$WORK/r.txt' && test $after -gt $before &&
		 grep -q '^kernel-crash: ' '$WORK'/p/findings/*/signature"
# stopped_clean SEEN: the SIGTERM'd campaign said so and left nothing
# running or half-written (SEEN: its QEMU, seen before the signal).
stopped_clean() {
	grep -q 'stopped by a signal, --resume continues' "$WORK/r.txt" &&
		! pgrep -f "[a]fl-fuzz.*$WORK/p/" >/dev/null &&
		! ls "$WORK"/p/.vm-*/*.img 2>/dev/null | grep -q . &&
		! ls -a "$WORK"/p/findings | grep -q '^\.new' &&
		qemu_gone "$1"
}
check "faults: SIGTERM ends it cleanly: its verdict, no QEMU (${qemu:-none seen} ran), no afl-fuzz, no disk image left" \
	stopped_clean "$qemu"
"$LWFUZZ" fuzz -k stock -t 10s --resume -o "$WORK/p" >"$WORK/r2.txt" 2>&1
rc=$?
check "faults: ... and --resume works after it (the lock was released)" \
	bash -c "test $rc -le 1 && grep -q 'resuming' '$WORK/r2.txt'"
"$LWFUZZ" fuzz -k stock -t 15s --resume -o "$WORK/none" >"$WORK/none.txt" 2>&1
rc=$?
check "faults: --resume of nothing: one line, exit 2" \
	bash -c "test $rc = 2 && test \$(wc -l <'$WORK/none.txt') = 1"

# 3. A workload stuck for good: a hang finding, the VM restarted.
run_seeing_qemu "$WORK/h.txt" env LWFUZZ_TEST_FAULT=hang:14 "$LWFUZZ" fuzz \
	-k stock -t 25s -T 5 -c "$seeds" -o "$WORK/h"
rc=$?
qemu=$QEMU_PIDS
out=$(cat "$WORK/h.txt")
echo "$out" | grep -E 'guest|finding' | head -3 | sed 's/^/# /'
check "faults: a stuck workload is a hang finding and the VM restarts" \
	bash -c "test $rc = 1 && grep -q '^hang: ' '$WORK'/h/findings/*/signature &&
		 grep -q 'restarts 1' '$WORK/h.txt'"
check "faults: no QEMU left (the campaign's QEMU ran: ${qemu:-none seen})" qemu_gone "$qemu"
check "faults: the corpus given with -c is as it was (lwfuzz works on copies)" \
	test "$(cd "$seeds" && md5sum ./*)" = "$corpus_sums"
