#!/bin/bash
# `make bench` (second half): what an execution costs in the guest with
# today's code path and with the old one, side by side in one sitting on
# `stock`: the same seeds run `lwfuzz run -n RUNS` by default and with
# --no-share --no-template (every crash state mounted, mkfs.btrfs every
# run: the code path before templates and shared mounts). Rounds
# alternate the two so drift on a shared machine spreads over both. Per
# run: set-up, workload, replay+check and the target's restore, from the
# agent's own lines; the first run of each VM is left out of the means
# (it makes the template in both modes' first run alike). Verdicts must
# not differ: the script fails if a seed's verdict does.
#   scripts/bench-exec.sh [ROUNDS] [RUNS]   (default 2 rounds of 5 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
runs=${2:-5}
work=$(mktemp -d /tmp/lwfuzz-bench-exec.XXXXXX)
trap 'rm -rf "$work"' EXIT
export TMPDIR=$work

seeds=(buffered-fsync rename-fsync dir-fsync-new-entries prealloc-race)
one() { # MODE SEED
	local mode=$1 opt=()
	[ "$mode" = old ] && opt=(--no-share --no-template)
	bin/lwfuzz run -k stock -n "$runs" "${opt[@]}" "corpus/seeds/$2.lw" >"$work/out.txt" 2>&1 || {
		[ $? = 1 ] || { echo "bench-exec: $mode $2 failed:" >&2; tail -5 "$work/out.txt" >&2; exit 2; }
	}
	echo "$mode $2 $(sed -n 's/^run: a check failed in \([0-9]*\) of.*/\1/p' "$work/out.txt")" >>"$work/verdicts"
	awk -v m="$mode" '
	/^run [0-9]+\/[0-9]+: (CLEAN|CORRUPT) \(set-up/ {
		split($2, k, "/"); n = k[1]
		gsub(/[(),]/, " ")
		for (i = 1; i <= NF; i++) {
			if ($i == "set-up") s[n] = $(i + 1)
			if ($i == "workload") w[n] = $(i + 1)
			if ($i == "replay+check") c[n] = $(i + 1)
		}
	}
	/poison restored in/ { split($2, k, "/"); r[k[1]] = $(NF - 1) }
	END { for (n in s) if (n > 1) print m, s[n], w[n], c[n], r[n] }' "$work/out.txt" >>"$work/times"
	grep -h "^replay: [0-9]* of [0-9]* crash points had" "$work/out.txt" |
		awk -v m="$mode" '{ sh += $2; all += $4 } END { print m, sh, all }' >>"$work/shared"
}

for r in $(seq 1 "$rounds"); do
	for s in "${seeds[@]}"; do
		for mode in new old; do
			one "$mode" "$s"
		done
	done
	echo "bench-exec: round $r of $rounds done" >&2
done
awk '
{ n[$1]++; s[$1] += $2; w[$1] += $3; c[$1] += $4; r[$1] += $5 }
END {
	for (m in n) {
		t[m] = (s[m] + w[m] + c[m] + r[m]) / n[m]
		printf "%-3s %3d executions: %.2f s each in the guest (set-up %.2f, workload %.2f, replay+check %.2f, restore %.2f)\n", m, n[m], t[m], s[m] / n[m], w[m] / n[m], c[m] / n[m], r[m] / n[m]
	}
	printf "executions/s per VM, today / old path: %.2f\n", t["old"] / t["new"]
}' "$work/times"
awk '{ sh[$1] += $2; all[$1] += $3 } END { printf "crash points sharing the previous mount: %d of %d (old path: %d)\n", sh["new"], all["new"], sh["old"] }' "$work/shared"
# The same seed, the same verdicts in both modes (runs failed, summed).
awk '
{ f[$2, $1] += $3; seeds[$2] = 1 }
END {
	bad = 0
	for (s in seeds) {
		printf "%-24s failed runs: today %d, old path %d\n", s, f[s, "new"], f[s, "old"]
		if ((f[s, "new"] > 0) != (f[s, "old"] > 0))
			bad = 1
	}
	exit bad
}' "$work/verdicts" || {
	echo "bench-exec: a seed's verdict differs between the modes" >&2
	exit 1
}
