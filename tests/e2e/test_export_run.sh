#!/bin/bash
# Exported fstests tests, run: `lwfuzz export-fstests` writes them, the
# guest runs them on the real kernel against tests/fstests-harness (the few
# fstests helpers they call; fstests is not packaged in Debian), without
# lwfuzz.ko's delays: the delay plans become dm-delay on the scratch device.
#
# - The log-commit race reproducers (corpus/crashes/logcommit-k{0,1}-delay.lw)
#   exported: each test fails on `stock` (the second fsync's file is
#   missing in a crash state after that fsync returned) and passes on
#   `stock-logfix` (stock plus the fix alone): the failure is the bug's,
#   and a pass means the test ran to its end ("Silence is golden").
# - A clean workload of two threads (corpus/seeds/rename-fsync.lw plus a
#   thread writing another file) exported: passes on `stock`.
# - The export makes lwfuzz's promise: thread 1's fsync in
#   corpus/crashes/concurrent-fsync-new-file.lw is promised (its file was
#   last written before the barrier), which the earlier export did not.
# One VM per kernel, each test on its own fresh scratch and log images.
. "$(dirname "$0")/lib.sh"
plan 9

tests=$WORK/h/tests/btrfs
mkdir -p "$tests"
cp -r tests/fstests-harness/. "$WORK/h/"
exp() { # exp NAME WORKLOAD
	"$LWFUZZ" export-fstests -o "$tests" -n "$1" "$2" >/dev/null
}
exp k0 corpus/crashes/logcommit-k0-delay.lw
exp k1 corpus/crashes/logcommit-k1-delay.lw
{
	cat corpus/seeds/rename-fsync.lw
	printf 'thread\n\topen f3 creat\n\tpwrite f3 0 8K seed=4\n\tfsync f3\n'
} >"$WORK/clean.lw"
exp clean "$WORK/clean.lw"
exp cfnf corpus/crashes/concurrent-fsync-new-file.lw
check "export: thread 1's fsync of f1 in concurrent-fsync-new-file.lw is a promise" \
	bash -c "grep -q '^	lwfuzz_sync fsync f1 [0-9]* f1$' '$tests/cfnf' &&
		 ! grep -q 'no content to promise' '$tests/cfnf'"
tar -cf "$WORK/h.tar" -C "$WORK/h" .

# In the guest: each test on disks of its own (DISK 2k and 2k+1).
cat >"$WORK/guest.sh" <<'EOF'
mkdir /h && tar -xf /in/h.tar -C /h || exit 2
sh /h/run-tests $TESTS
EOF
# run KERNEL TEST...: the tests in one VM; their output in $WORK/KERNEL.txt.
run() {
	local kernel=$1 disks=() i=0
	shift
	for t; do
		truncate -s 1G "$WORK/$kernel-$t-scratch.img"
		truncate -s 1G "$WORK/$kernel-$t-log.img"
		disks+=(-d "$WORK/$kernel-$t-scratch.img" -d "$WORK/$kernel-$t-log.img")
	done
	"$LWFUZZ" vm -k "$kernel" -t 900 "${disks[@]}" -f "$WORK/h.tar" \
		-f "$WORK/guest.sh" -- env TESTS="$*" sh /in/guest.sh \
		>"$WORK/$kernel.txt" 2>&1
}
rc() { # rc KERNEL TEST: the test's run-test status
	sed -n "s/^TEST $2 rc=\([0-9]*\)$/\1/p" "$WORK/$1.txt"
}

run stock k0 k1 clean
grep -E '^(PASS|FAIL|NOTRUN|TEST|[-+][^-+])' "$WORK/stock.txt" | sed 's/^/# /'
for t in k0 k1; do
	file=$(sed -n 's/^# file: \([^ ]*\).*/\1/p' corpus/crashes/logcommit-$t-delay.lw)
	check "$t on stock: the exported test fails (run-test exit 1)" \
		test "$(rc stock $t)" = 1
	check "$t on stock: ... because $file is missing after the second fsync returned" \
		grep -q "^+$file is missing after fsync [0-9]* returned" "$WORK/stock.txt"
done
check "clean on stock: the exported test passes" test "$(rc stock clean)" = 0

run stock-logfix k0 k1
grep -E '^(PASS|FAIL|NOTRUN|TEST)' "$WORK/stock-logfix.txt" | sed 's/^/# /'
for t in k0 k1; do
	check "$t on stock-logfix: the exported test passes (the fix alone)" \
		test "$(rc stock-logfix $t)" = 0
done
check "no QEMU left" no_qemu_left
