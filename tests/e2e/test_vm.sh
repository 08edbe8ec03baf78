#!/bin/bash
# `lwfuzz vm` as a user meets it: output and exit status pass through, /out
# comes back, and every way a guest can go wrong ends with a clear line, a
# distinct status and no QEMU left behind.
. "$(dirname "$0")/lib.sh"
plan 26

out=$("$LWFUZZ" vm -t 60 -o "$WORK/out" -- sh -c \
	'echo hello; mkdir -p /out/d; echo data >/out/d/f; exit 7' 2>&1)
rc=$?
check "vm: command output is printed" grep -qx hello <<<"$out"
check "vm: command's exit status is lwfuzz's" test $rc = 7
check "vm: /out is copied back" test "$(cat "$WORK/out/d/f" 2>/dev/null)" = data

echo in-file-content >"$WORK/input.txt"
out=$("$LWFUZZ" vm -t 60 -f "$WORK/input.txt" -- cat /in/input.txt 2>&1)
check "vm: --file shows up under /in" grep -qx in-file-content <<<"$out"

out=$("$LWFUZZ" vm -k fixed -p btrfs.dio_race_delay_ms=7 -t 60 -- \
	cat /sys/module/btrfs/parameters/dio_race_delay_ms 2>&1)
check "vm: --param sets a module parameter" grep -qx 7 <<<"$out"

# What btrfs a guest runs: the coverage collector's symbol, lwfuzz.ko.
probe='grep -q " lwfuzz_cov_area" /proc/kallsyms && echo cov=yes || echo cov=no
test -d /sys/module/btrfs && echo btrfs=yes
test -d /sys/module/lwfuzz && echo helper=yes || echo helper=no'
"$LWFUZZ" vm -k fixed -t 60 -- sh -c "$probe" >"$WORK/cov.txt" 2>&1
check "vm: a guest runs btrfs with coverage, and lwfuzz.ko (the control)" \
	bash -c "grep -qx cov=yes '$WORK/cov.txt' && grep -qx helper=yes '$WORK/cov.txt'"
"$LWFUZZ" vm -k fixed --replay-only -p btrfs.dio_race_delay_ms=7 -t 60 -- \
	sh -c "$probe; cat /sys/module/btrfs/parameters/dio_race_delay_ms" \
	>"$WORK/replay.txt" 2>&1
check "vm: --replay-only runs the variant's btrfs without coverage, no lwfuzz.ko" \
	bash -c "grep -qx cov=no '$WORK/replay.txt' && grep -qx btrfs=yes '$WORK/replay.txt' &&
		 grep -qx helper=no '$WORK/replay.txt' && grep -qx 7 '$WORK/replay.txt'"

run_seeing_qemu "$WORK/timeout.txt" "$LWFUZZ" vm -t 8 -- sleep 1000
rc=$?
out=$(cat "$WORK/timeout.txt")
check "vm: a hung guest is killed at the timeout (exit 124)" test $rc = 124
check "vm: the timeout says so" grep -q "still running after 8 s" <<<"$out"
check "vm: no QEMU left after a timeout (its QEMU ran: ${QEMU_PIDS:-none seen})" \
	qemu_gone "$QEMU_PIDS"

# A boot that stalls before init starts the command (seen once in CI) is
# booted again, once, with a warning; the command runs on the second boot.
out=$(LWFUZZ_TEST_BOOT_STALL=1 LWFUZZ_TEST_BOOT_S=15 "$LWFUZZ" vm -t 60 -- \
	echo second-boot 2>&1)
rc=$?
check "vm: a stalled boot is booted again and the command runs (exit 0)" \
	test $rc = 0 -a -n "$(grep -x second-boot <<<"$out")"
check "vm: ... the first boot really stalled (its console says so)" \
	grep -q "stalling this boot on purpose" <<<"$out"
check "vm: ... and a warning says the boot was retried" \
	grep -q "^lwfuzz: warning: guest (stock) did not start its command within 15 s" <<<"$out"
out=$(LWFUZZ_TEST_BOOT_STALL=always LWFUZZ_TEST_BOOT_S=15 "$LWFUZZ" vm -t 60 -- \
	echo never 2>&1)
rc=$?
check "vm: a boot that stalls twice is a timeout (exit 124), the command never ran" \
	test $rc = 124 -a -z "$(grep -x never <<<"$out")"
check "vm: ... and says so in one line" \
	grep -q "did not start its command within 15 s, twice" <<<"$out"

out=$("$LWFUZZ" vm -t 60 -- sh -c 'echo c >/proc/sysrq-trigger' 2>&1)
rc=$?
check "vm: a guest panic is its own status (exit 123)" test $rc = 123
check "vm: a panic is named, its own line quoted" \
	grep -q "died before reporting: Kernel panic - not syncing: sysrq triggered crash$" <<<"$out"

out=$("$LWFUZZ" vm -k nosuch -- true 2>&1)
rc=$?
check "vm: unknown variant is one clear line (exit 125)" \
	test $rc = 125 -a "$(wc -l <<<"$out")" = 1
check "vm: unknown variant lists the choices" grep -q "stock, buggy, fixed" <<<"$out"

out=$("$LWFUZZ" vm -d /dev/null -- true 2>&1)
check "vm: a block/char device is refused as a disk" \
	test $? = 125 -a -n "$(grep -o 'block devices are refused' <<<"$out")"

"$LWFUZZ" vm -t 120 -- sleep 1000 >/dev/null 2>&1 &
pid=$!
qemu=$(wait_for_qemu 60)
sleep 2
kill -INT $pid
wait $pid
rc=$?
check "vm: Ctrl-C stops the run (exit 130)" test $rc = 130
check "vm: no QEMU left after Ctrl-C (its QEMU ran: ${qemu:-none seen})" qemu_gone "$qemu"
check "vm: no scratch left after Ctrl-C" \
	test -z "$(ls -d "$WORK"/lwfuzz-vm.* 2>/dev/null)"

"$LWFUZZ" vm -t 120 -- sleep 1000 >/dev/null 2>&1 &
pid=$!
qemu=$(wait_for_qemu 60)
sleep 2
kill -KILL $pid
wait $pid 2>/dev/null
sleep 1
check "vm: no QEMU left when lwfuzz is SIGKILLed (its QEMU ran: ${qemu:-none seen})" \
	qemu_gone "$qemu"

check "vm: --help exits 0" bash -c "'$LWFUZZ' vm --help >/dev/null"
check "lwfuzz help lists the commands" bash -c "'$LWFUZZ' help | grep -q kernels"
