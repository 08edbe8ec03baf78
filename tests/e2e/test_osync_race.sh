#!/bin/bash
# A stock 6.1 bug (docs/bugs/osync-dio-fsync-race.md): an O_SYNC direct
# write's fsync, run from iomap_dio_complete() under a shared i_rwsem,
# logs another direct write's extent before that write has its ordered
# extent (a) or its bio (b): a regular extent without checksums after the
# crash. corpus/crashes/osync-dio-{prealloc-map,presubmit}-delay.lw stop
# the other writer 500 ms at the window with a delay plan (knob 0, no
# patches). Each must fail on `stock` in 5 of 5 runs as missing-csum at
# [512K, 576K), with the delay fired in every run; the same workloads with
# O_DSYNC instead of O_SYNC are the negative control: dm-log-writes
# advertises FUA, so iomap writes O_DSYNC with FUA and runs no fsync, and
# 0 of 5 runs may fail (the delay fired, so the window was open and only
# the fsync was missing).
. "$(dirname "$0")/lib.sh"
plan 10


for c in prealloc-map presubmit; do
	wl=corpus/crashes/osync-dio-$c-delay.lw
	n=$(run_failed stock 5 "$wl" "$WORK/$c")
	f=$(delays_fired "$WORK/$c")
	echo "# $c, O_SYNC, stock: a check failed in ${n:-?} of 5 runs; delays armed, fired: $f"
	check "$c: O_SYNC on stock fails in 5 of 5 runs" test "${n:-0}" = 5
	check "$c: ... as missing-csum of f0 at [524288, 589824)" \
		grep -q 'FINDING missing-csum f0 .* file \[524288, 589824)' "$WORK/$c.txt"
	check "$c: the delay fired in every run ($f)" test "$f" = "5 5"
	sed 's/^\topen f0 sync$/\topen f0 dsync/' "$wl" >"$WORK/$c-dsync.lw"
	n=$(run_failed stock 5 "$WORK/$c-dsync.lw" "$WORK/$c-dsync")
	f=$(delays_fired "$WORK/$c-dsync")
	echo "# $c, O_DSYNC, stock: a check failed in ${n:-?} of 5 runs; delays armed, fired: $f"
	check "$c: O_DSYNC (FUA, no fsync) on stock: clean in 5 of 5 runs, the delay fired ($f)" \
		test "${n:-x}/$f" = "0/5 5"
done

# The same race on a NODATASUM file: no checksum to miss, the never-written
# blocks under the logged extent read back (poison: stale data).
wl=corpus/crashes/osync-dio-nocow-prealloc-map-delay.lw
n=$(run_failed stock 5 "$wl" "$WORK/nocow")
f=$(delays_fired "$WORK/nocow")
echo "# nocow, O_SYNC, stock: a check failed in ${n:-?} of 5 runs; delays armed, fired: $f"
check "nocow: O_SYNC on stock fails in 5 of 5 runs as stale data at [524288, 589824)" \
	bash -c "test '${n:-0}' = 5 && grep -q 'FINDING stale f0 file \[524288, 589824)' '$WORK/nocow.txt'"
check "nocow: the delay fired in every run ($f)" test "$f" = "5 5"
