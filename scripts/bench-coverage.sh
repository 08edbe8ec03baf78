#!/bin/bash
# `make bench-coverage`: what btrfs coverage and delay plans cost an
# execution, side by side in one sitting on `stock`: the same workloads run
# with coverage collected, with it off (`lwfuzz run --no-cov`: the
# instrumented btrfs.ko still calls the collector, which returns at once),
# and with a delay armed at a function the workload never enters (the
# probe's cost, not a delay's). Rounds alternate the three so drift on a
# shared machine spreads over all of them. Per run: the guest's set-up,
# workload and replay+check times; the ratio of the means.
#   scripts/bench-coverage.sh [ROUNDS] [RUNS]   (default 3 rounds of 5 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
runs=${2:-5}
work=$(mktemp -d /tmp/lwfuzz-bench-cov.XXXXXX)
trap 'rm -rf "$work"' EXIT
export TMPDIR=$work

seeds=(buffered-fsync rename-fsync dir-fsync-new-entries)
for s in "${seeds[@]}"; do
	cp "corpus/seeds/$s.lw" "$work/$s.lw"
	# A function none of these workloads enter: only the kprobe costs.
	{
		echo "thread"
		echo "	delay btrfs_ioctl_scrub 1ms"
		grep -v '^#' "corpus/seeds/$s.lw" | sed -n '/^thread/,$p' | tail -n +2
	} >"$work/$s-delay.lw"
done

# one MODE SEED: append "MODE SECONDS" per run to $work/times.
one() {
	local mode=$1 wl=$work/$2.lw opt=()
	case $mode in
	off) opt=(--no-cov) ;;
	delay) wl=$work/$2-delay.lw ;;
	esac
	bin/lwfuzz run -k stock -n "$runs" "${opt[@]}" "$wl" >"$work/out.txt" 2>&1 || {
		echo "bench-coverage: $mode $2 failed:" >&2
		tail -5 "$work/out.txt" >&2
		exit 2
	}
	sed -n 's/^run [0-9]*\/[0-9]*: [A-Z]* (set-up \([0-9.]*\) s, workload \([0-9.]*\) s, replay+check \([0-9.]*\) s)/\1 \2 \3/p' \
		"$work/out.txt" | awk -v m="$mode" '{ print m, $1 + $2 + $3, $2, $3 }' >>"$work/times"
	grep -o 'btrfs coverage: [0-9]* edges' "$work/out.txt" | head -1 |
		sed "s/^/bench-coverage: $mode $2: /" || true
}

for r in $(seq 1 "$rounds"); do
	for s in "${seeds[@]}"; do
		for mode in on off delay; do
			one "$mode" "$s"
		done
	done
	echo "bench-coverage: round $r of $rounds done"
done
awk '
{ n[$1]++; t[$1] += $2; w[$1] += $3; c[$1] += $4 }
END {
	for (m in n)
		printf "%-6s %3d runs: %.2f s per run (workload %.2f s, replay+check %.2f s)\n", m, n[m], t[m] / n[m], w[m] / n[m], c[m] / n[m]
	printf "coverage collected / off: %.3f (executions/s ratio %.3f)\n", (t["on"] / n["on"]) / (t["off"] / n["off"]), (t["off"] / n["off"]) / (t["on"] / n["on"])
	printf "armed, unfired delay / coverage alone: %.3f\n", (t["delay"] / n["delay"]) / (t["on"] / n["on"])
}' "$work/times"
