#!/bin/bash
# `make bench`: crash states checked per second by lwfuzz's replayer against
# the reference method (fstests generic/482: replay to each FUA, snapshot,
# mount, btrfs check), on the same log in the same VM boot, and the
# replayer's peak memory on a small and a big log.
#   scripts/bench-replay.sh [ROUNDS]   (default 150 fsync rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-150}
work=$(mktemp -d /tmp/lwfuzz-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export TMPDIR=$work

record() { # ROUNDS LOG
	rm -f "$work/data.img"
	truncate -s 512M "$work/data.img"
	truncate -s 256M "$2"
	bin/lwfuzz vm -k stock -d "$work/data.img" -d "$2" -t 900 \
		-f tests/e2e/guest_record.sh -- sh /in/guest_record.sh many "$1" >/dev/null
}
echo "recording logs ($rounds and $((rounds / 5)) fsync rounds) on stock"
record "$rounds" "$work/big.img"
record $((rounds / 5)) "$work/small.img"
bin/lwfuzz log "$work/big.img" | tail -1
# The FUA entries after the mkfs mark: the reference's crash points.
bin/lwfuzz log "$work/big.img" |
	awk '$NF == "mkfs" { go = 1 } go && $4 ~ /FUA/ { print $1 }' >"$work/fua.txt"
truncate -s 512M "$work/target.img"
truncate -s 512M "$work/cow.img"
# A replay-only guest (btrfs built without coverage, as `lwfuzz replay`
# and `repro` boot), then the default replay once more in a guest whose
# btrfs has coverage (the path before).
bin/lwfuzz vm -k stock -t 3600 --replay-only -d "$work/big.img" \
	-d "$work/small.img" -d "$work/target.img" -d "$work/cow.img" \
	-f scripts/bench/guest_bench.sh -f scripts/bench/guest_reference.sh \
	-f "$work/fua.txt" -- sh /in/guest_bench.sh | tee "$work/bench.txt"
bin/lwfuzz vm -k stock -t 3600 -d "$work/big.img" -d "$work/small.img" \
	-d "$work/target.img" -d "$work/cow.img" \
	-f scripts/bench/guest_bench.sh -f scripts/bench/guest_reference.sh \
	-- sh /in/guest_bench.sh coverage | tee -a "$work/bench.txt"
awk '
/^bench:/ { pts[$2] = $4; secs[$2] = $6; mem[$2] = $8; verdict[$2] = $10 }
END {
	ours = pts["lwfuzz"] / secs["lwfuzz"]
	fsck = pts["lwfuzz-fua-fsck"] / secs["lwfuzz-fua-fsck"]
	ref = pts["reference"] / secs["reference"]
	printf "lwfuzz replay (flush,fua,mark; csum, read, data checks): %d points, %.1f points/s\n", pts["lwfuzz"], ours
	printf "lwfuzz replay --points fua --fsck:                      %d points, %.1f points/s\n", pts["lwfuzz-fua-fsck"], fsck
	printf "reference (generic/482 method, FUA points, fsck):        %d points, %.1f points/s\n", pts["reference"], ref
	printf "ratio lwfuzz / reference: %.1fx (default checks), %.1fx (same points, fsck too)\n", ours / ref, fsck / ref
	noshare = pts["lwfuzz-no-share"] / secs["lwfuzz-no-share"]
	printf "lwfuzz replay --no-share (a mount per crash state):     %d points, %.1f points/s; today / that: %.2fx; verdicts %s, %s\n", pts["lwfuzz-no-share"], noshare, ours / noshare, verdict["lwfuzz"], verdict["lwfuzz-no-share"]
	printf "replayer peak memory: %s KiB on the big log, %s KiB on the small log\n", mem["lwfuzz"], mem["lwfuzz-small"]
	cov = pts["lwfuzz-coverage-btrfs"] / secs["lwfuzz-coverage-btrfs"]
	printf "lwfuzz replay with btrfs built with coverage (the path before): %d points, %.1f points/s; replay-only / that: %.2fx; verdicts %s, %s\n", pts["lwfuzz-coverage-btrfs"], cov, ours / cov, verdict["lwfuzz"], verdict["lwfuzz-coverage-btrfs"]
}' "$work/bench.txt"

# Whole commands timed on the host, boots included, alternating in ROUNDS
# (2): the path before (one guest whose btrfs has coverage runs the
# replayer), `lwfuzz replay` (one replay-only guest) and `lwfuzz replay
# --jobs 2` (two replay-only guests at once, half the crash points each).
wall_rounds=${WALL_ROUNDS:-2}
walltime() { # NAME CMD...: "wall: NAME SECONDS POINTS VERDICT"
	local name=$1 t0 t1 pts verdict
	shift
	rm -f "$work/target.img" "$work/report.json"
	truncate -s 512M "$work/target.img"
	t0=$(date +%s.%N)
	"$@" >"$work/wall.txt" 2>&1 || [ $? = 1 ] || {
		tail -3 "$work/wall.txt" >&2
		return 1
	}
	t1=$(date +%s.%N)
	if [ -f "$work/report.json" ]; then
		pts=$(grep -o '"points_checked": [0-9]*' "$work/report.json" | grep -o '[0-9]*$')
		verdict=$(grep -o '"verdict": "[a-z]*"' "$work/report.json" | cut -d'"' -f4)
	else
		pts=$(sed -n 's/.*: \([0-9]*\) of [0-9]* crash points checked.*/\1/p' "$work/wall.txt")
		verdict=$(sed -n 's/^replay: \([A-Z]*\): .*/\1/p' "$work/wall.txt" | tr A-Z a-z)
	fi
	echo "wall: $name $(echo "$t1 - $t0" | bc) ${pts:-0} ${verdict:-none}"
}
for r in $(seq "$wall_rounds"); do
	walltime coverage-guest bin/lwfuzz vm -k stock -t 3600 \
		-d "$work/big.img" -d "$work/target.img" -d "$work/cow.img" -- \
		sh -c 'lwfuzz-agent replay --log "$LWFUZZ_DISK0" --target "$LWFUZZ_DISK1" --cow "$LWFUZZ_DISK2"'
	walltime replay bin/lwfuzz replay -k stock -j "$work/report.json" "$work/big.img"
	walltime replay-jobs-2 bin/lwfuzz replay -k stock --jobs 2 \
		-j "$work/report.json" "$work/big.img"
done | tee "$work/wall.log"
awk '
/^wall:/ { secs[$2] += $3; pts[$2] += $4; n[$2]++; v[$2] = v[$2] " " $5 }
END {
	before = pts["coverage-guest"] / secs["coverage-guest"]
	printf "host wall time, boots included, %d alternating rounds (mean s per replay, crash points/s, ratio to the path before, verdicts):\n", n["replay"]
	split("coverage-guest replay replay-jobs-2", order, " ")
	for (i = 1; i <= 3; i++) {
		m = order[i]
		printf "  %-16s %6.1f s  %5.1f points/s  %.2fx  %s\n", m, secs[m] / n[m], pts[m] / secs[m], pts[m] / secs[m] / before, v[m]
	}
}' "$work/wall.log"
