#!/bin/bash
# `make series-compare`: every seed of corpus/seeds on two kernels, side by
# side in one sitting (default stock and 6.12:stock; KERNELS="A B" to
# choose; SEEDS="a b" for some seeds only): each seed's verdict per kernel and the mean time per execution
# (the guest's set-up, workload and replay+check), RUNS runs per seed
# (default 2). The seeds alternate between the kernels so drift on a
# shared machine spreads over both. A figure, not a test: a verdict that
# differs is listed for a human to read (a known bug of one kernel, or a
# new one).
#   scripts/series-compare.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-2}
read -r -a kernels <<<"${KERNELS:-stock 6.12:stock}"
work=$(mktemp -d /tmp/lwfuzz-series.XXXXXX)
trap 'rm -rf "$work"' EXIT
export TMPDIR=$work

if [ -n "${SEEDS:-}" ]; then
	wls=$(for s in $SEEDS; do echo "corpus/seeds/$s.lw"; done)
else
	wls=$(ls corpus/seeds/*.lw)
fi
n=0
total=$(wc -w <<<"$wls")
for wl in $wls; do
	s=$(basename "$wl" .lw)
	n=$((n + 1))
	for k in "${kernels[@]}"; do
		rc=0
		bin/lwfuzz run -k "$k" -n "$runs" "$wl" >"$work/out.txt" 2>&1 || rc=$?
		if [ "$rc" = 2 ]; then
			# All of it: a guest panic's cause is above its last lines.
			echo "series-compare: $s on $k: error:" >&2
			sed 's/^/  /' "$work/out.txt" >&2
			echo "$k $s error" >>"$work/verdicts"
			continue
		fi
		f=$(sed -n 's/^run: a check failed in \([0-9]*\) of.*/\1/p' "$work/out.txt" | tail -1)
		echo "$k $s ${f:-?}/$runs $(grep -o 'FINDING [a-z-]*' "$work/out.txt" | sort -u | cut -d' ' -f2 | paste -sd, -)" >>"$work/verdicts"
		sed -n 's/^run [0-9]*\/[0-9]*: [A-Z]* (set-up \([0-9.]*\) s, workload \([0-9.]*\) s, replay+check \([0-9.]*\) s)/\1 \2 \3/p' \
			"$work/out.txt" | awk -v k="$k" '{ print k, $1, $2, $3 }' >>"$work/times"
	done
	echo "series-compare: $n of $total seeds ($s)" >&2
done

echo "seed verdicts (runs failed / runs, failed checks):"
awk '{ v[$2] = v[$2] sprintf("  %-12s %-6s %-24s", $1, $3, $4) } END { for (s in v) printf "%-32s%s\n", s, v[s] }' \
	"$work/verdicts" | sort
echo "seeds whose verdict differs between the kernels:"
awk '{ split($3, a, "/"); f[$2] = f[$2] " " (a[1] > 0) } END { for (s in f) { split(f[s], b, " "); if (b[1] != b[2]) print "  " s } }' \
	"$work/verdicts" | sort
awk '
{ n[$1]++; s[$1] += $2; w[$1] += $3; c[$1] += $4 }
END {
	for (k in n)
		printf "%-14s %3d executions: %.2f s each (set-up %.2f, workload %.2f, replay+check %.2f)\n", k, n[k], (s[k] + w[k] + c[k]) / n[k], s[k] / n[k], w[k] / n[k], c[k] / n[k]
}' "$work/times"
