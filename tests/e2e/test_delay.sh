#!/bin/bash
# Delay injection and btrfs coverage, end to end on the real kernel with
# the knob at 0 (its default; no -d anywhere here).
#
# - The seed race with a delay plan at btrfs_add_ordered_extent's entry
#   instead of the knob (tests/e2e/workloads/prealloc-race-delay.lw):
#   missing checksums on `buggy` in at least 19 of 20 runs, on `fixed` in
#   0 of 20. Both require every run's delay to have fired (the guest's
#   result counts them): a delay that never ran would make `fixed`'s 0 of
#   20 meaningless. The same workload without its delay line on `buggy`:
#   at most 1 of 10 (the natural window is microseconds; this is what the
#   delay adds).
# - A delay at a function btrfs.ko does not have is not armed: counted and
#   named, and the run goes on.
# - Each of the race's two threads runs btrfs functions in every run (its
#   thread sites), some of them in the other thread too (race sites): where
#   the mutator puts its delays.
# - Coverage: three runs of one workload on `stock` each reach thousands of
#   btrfs edges, and any two share at least 90 % of their union (the
#   collector's noise: background work, a per-CPU previous block).
. "$(dirname "$0")/lib.sh"
plan 12

race=tests/e2e/workloads/prealloc-race-delay.lw

# runs VARIANT N WORKLOAD OUT: lwfuzz run; prints its failed-runs count.
runs() {
	"$LWFUZZ" run -k "$1" -n "$2" -o "$4" "$3" >"$4.txt" 2>&1
	sed -n 's/^run: a check failed in \([0-9]*\) of.*/\1/p' "$4.txt" | tail -1
}

# field OUT NAME: a count from OUT/result.json.
field() {
	sed -n "s/.*\"$2\": \([0-9]*\).*/\1/p" "$1/result.json"
}

n=$(runs buggy 20 "$race" "$WORK/buggy")
grep -m2 'delays:' "$WORK/buggy.txt" | sed 's/^/# /'
echo "# buggy: a check failed in ${n:-?} of 20 runs"
check "delay-buggy: missing checksums in at least 19 of 20 runs" \
	test "${n:-0}" -ge 19
check "delay-buggy: the delay fired in every run (20 armed, 20 fired)" \
	test "$(field "$WORK/buggy" delays)/$(field "$WORK/buggy" delays_fired)" = 20/20
check "delay-buggy: the failing runs are missing-csum findings" \
	grep -q 'missing-csum' "$WORK/buggy.txt"
grep -m2 'btrfs functions, ' "$WORK/buggy.txt" | sed 's/^/# /'
# Per run and thread "ran N ..., M of them": both threads in all 20 runs.
sites=$(sed -n 's/^run \([0-9]*\)\/20: thread [01] ran \([0-9]*\) btrfs functions, \([0-9]*\) of them.*/\1 \2 \3/p' "$WORK/buggy.txt" |
	awk '$2 >= 1 && $3 >= 1 { n[$1]++ } END { k = 0; for (r in n) if (n[r] == 2) k++; print k }')
check "delay-buggy: in every run both threads ran btrfs functions, some in the other thread too (thread and race sites)" \
	test "${sites:-0}" = 20

n=$(runs fixed 20 "$race" "$WORK/fixed")
echo "# fixed: a check failed in ${n:-?} of 20 runs"
check "delay-fixed: clean in 20 of 20 runs" test "${n:-x}" = 0
check "delay-fixed: the delay fired in every run (20 armed, 20 fired)" \
	test "$(field "$WORK/fixed" delays)/$(field "$WORK/fixed" delays_fired)" = 20/20

grep -v '^	delay ' "$race" >"$WORK/nodelay.lw"
n=$(runs buggy 10 "$WORK/nodelay.lw" "$WORK/nodelay")
echo "# buggy without the delay: a check failed in ${n:-?} of 10 runs"
check "no-delay-buggy: the same workload without its delay ran (10 runs)" \
	grep -q 'run 10/10: CLEAN\|run 10/10: CORRUPT' "$WORK/nodelay.txt"
check "no-delay-buggy: without the delay at most 1 of 10 runs fail" \
	test "${n:-9}" -le 1

# Coverage and a site that does not exist, in one guest.
{
	cat corpus/seeds/rename-fsync.lw
	printf 'thread\n\tdelay no_such_btrfs_function 5ms\n'
} >"$WORK/cov.lw"
n=$(runs stock 3 "$WORK/cov.lw" "$WORK/cov")
check "bad-site: the run went on and was clean (3 of 3)" test "${n:-x}" = 0
check "bad-site: the delay is counted as not armed, with the function named" \
	grep -q 'delays: 0 armed, 0 fired, 1 not armed (delay no_such_btrfs_function: ' "$WORK/cov.txt"

# bits FILE: the edge bitmap as a string of 0/1 per byte-bit.
bits() {
	od -An -v -tu1 "$1" | tr -s ' ' '\n' | grep -v '^$' |
		awk '{ for (b = 0; b < 8; b++) printf "%d", int($1 / 2^b) % 2 }'
}

# overlap A B: "common union" of two bitmaps.
overlap() {
	paste <(bits "$1" | fold -w1) <(bits "$2" | fold -w1) |
		awk '{ c += $1 && $2; u += $1 || $2 } END { print c, u }'
}

grep 'btrfs coverage' "$WORK/cov.txt" | sed 's/^/# /'
edges=$(sed -n 's/.*btrfs coverage: \([0-9]*\) edges.*/\1/p' "$WORK/cov.txt" | sort -n | head -1)
check "coverage: each run reached at least 2000 btrfs edges" \
	test "${edges:-0}" -ge 2000
worst=100
for pair in "1 2" "1 3" "2 3"; do
	set -- $pair
	read -r c u < <(overlap "$WORK/cov/run-$1/cov.bin" "$WORK/cov/run-$2/cov.bin")
	pct=$((u ? c * 100 / u : 0))
	echo "# runs $1 and $2: $c edges common of $u ($pct %)"
	[ $pct -lt $worst ] && worst=$pct
done
check "coverage: any two runs of one workload share at least 90 % of their edges" \
	test $worst -ge 90
