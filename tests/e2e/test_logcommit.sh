#!/bin/bash
# The log-commit race of docs/bugs/log-commit-race.md, made deterministic
# with delay plans (no knob): the first fsync of a file stops for 1 s at
# the entry of write_all_supers() in its log commit, after both log trees
# are written and before the FLUSH and the super block; a second fsync of
# the same file 300 ms after it.
#
# - (a) corpus/crashes/logcommit-k0-delay.lw, log transaction 0: on
#   `stock` a check fails in every run (5 of 5: the second fsync returned
#   before its file was durable); on `logfix` (the complete fix, kmod-patch
#   0006) in none (0 of 5).
# - (b) corpus/crashes/logcommit-k1-delay.lw, log transaction 1 (the file
#   changed in log transaction 1 and logged into 2): the same, 5 of 5 on
#   stock and 0 of 5 on logfix.
# Each count holds only if the delay fired in every run (the result counts
# them): without it the runs show nothing about the window. The failing
# runs must be `name` findings of the second fsync's file, the one class
# this bug makes. 5 of 5 against 0 of 5 is p = 0.008 (Fisher's exact test,
# two-sided) per reproducer; the 20-run rates are in the write-up.
. "$(dirname "$0")/lib.sh"
plan 12



for case in k0 k1; do
	wl=corpus/crashes/logcommit-$case-delay.lw
	file=$(sed -n 's/^# file: \([^ ]*\).*/\1/p' "$wl")
	n=$(run_failed stock 5 "$wl" "$WORK/$case-stock")
	f=$(delays_fired "$WORK/$case-stock")
	echo "# $case stock: a check failed in ${n:-?} of 5 runs; delays armed, fired: $f"
	check "$case-stock: the second fsync's promise broken in 5 of 5 runs" \
		test "${n:-0}" = 5
	check "$case-stock: ... as name findings of $file" \
		bash -c "test \$(grep -l '\"check\": \"name\".*\"path\": \"$file\"' '$WORK/$case-stock'/run-*/report.json | wc -l) = 5"
	check "$case-stock: the delay fired in every run ($f)" test "$f" = "5 5"
	n=$(run_failed logfix 5 "$wl" "$WORK/$case-logfix")
	f=$(delays_fired "$WORK/$case-logfix")
	echo "# $case logfix: a check failed in ${n:-?} of 5 runs; delays armed, fired: $f"
	check "$case-logfix: clean in 5 of 5 runs" test "${n:-x}" = 0
	check "$case-logfix: the delay fired in every run ($f)" test "$f" = "5 5"
	check "$case-logfix: all 5 runs ran to the end" \
		grep -q 'run 5/5: CLEAN' "$WORK/$case-logfix.txt"
done
