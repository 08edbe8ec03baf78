#!/bin/bash
# `make export-rates`: how often the exported fstests tests of the
# log-commit race catch it. Exports corpus/crashes/logcommit-k0-delay.lw
# and logcommit-k1-delay.lw (or the WORKLOADS given) with `lwfuzz
# export-fstests` and runs each exported test RUNS times (default 10) on
# each kernel of KERNELS (default "stock stock-logfix") in the guest,
# against tests/fstests-harness (fstests is not packaged in Debian; see its
# README), without lwfuzz.ko's delays: the export's dm-delay does that.
# Prints per test and kernel how many runs failed, and Fisher's exact test
# (two-sided) between the first two kernels. A figure, not a test.
#   scripts/export-rates.sh        (RUNS, KERNELS, WORKLOADS from env)
set -euo pipefail
cd "$(dirname "$0")/.."
LWFUZZ=${LWFUZZ:-bin/lwfuzz}
runs=${RUNS:-10}
read -r -a kernels <<<"${KERNELS:-stock stock-logfix}"
read -r -a wls <<<"${WORKLOADS:-corpus/crashes/logcommit-k0-delay.lw corpus/crashes/logcommit-k1-delay.lw}"
per_vm=5 # tests per guest: two 1 GiB sparse images each
work=$(mktemp -d /tmp/lwfuzz-export-rates.XXXXXX)
trap 'rm -rf "$work"' EXIT
export TMPDIR=$work

mkdir -p "$work/h/tests/btrfs"
cp -r tests/fstests-harness/. "$work/h/"
names=()
for wl in "${wls[@]}"; do
	n=$(basename "$wl" .lw)
	"$LWFUZZ" export-fstests -o "$work/h/tests/btrfs" -n "$n" "$wl" >/dev/null
	names+=("$n")
done
tar -cf "$work/h.tar" -C "$work/h" .
cat >"$work/guest.sh" <<'EOF'
mkdir /h && tar -xf /in/h.tar -C /h || exit 2
sh /h/run-tests $TESTS
EOF

# batch KERNEL TEST...: one guest runs the tests, each on fresh images.
batch() {
	local kernel=$1 disks=() i=0
	shift
	for t; do
		truncate -s 1G "$work/s$i.img" "$work/l$i.img"
		disks+=(-d "$work/s$i.img" -d "$work/l$i.img")
		i=$((i + 1))
	done
	"$LWFUZZ" vm -k "$kernel" -t 1800 "${disks[@]}" -f "$work/h.tar" \
		-f "$work/guest.sh" -- env TESTS="$*" sh /in/guest.sh \
		>>"$work/$kernel.txt" 2>&1 || true
	rm -f "$work"/s*.img "$work"/l*.img
}

for k in "${kernels[@]}"; do
	for n in "${names[@]}"; do
		left=$runs
		while [ "$left" -gt 0 ]; do
			b=$((left < per_vm ? left : per_vm))
			echo "export-rates: $n on $k, $((runs - left + 1))-$((runs - left + b)) of $runs" >&2
			batch "$k" $(yes "$n" | head -n "$b")
			left=$((left - b))
		done
	done
done

# fisher A N B M: two-sided p of A of N against B of M.
fisher() {
	awk -v a="$1" -v n="$2" -v b="$3" -v m="$4" '
	function lf(x,   s, i) { s = 0; for (i = 2; i <= x; i++) s += log(i); return s }
	function hp(x) { return exp(lf(k) + lf(t - k) + lf(n) + lf(m) - lf(x) - lf(k - x) - lf(n - x) - lf(m - k + x) - lf(t)) }
	BEGIN {
		t = n + m; k = a + b; p0 = hp(a); p = 0
		for (x = (k > m ? k - m : 0); x <= (k < n ? k : n); x++)
			if (hp(x) <= p0 * (1 + 1e-7)) p += hp(x)
		printf "%.2g", p
	}'
}

printf '| exported test | %s |\n' "$(printf '%s | ' "${kernels[@]}" | sed 's/ | $//')"
printf '| --- |%s\n' "$(printf ' --- |%.0s' "${kernels[@]}")"
for n in "${names[@]}"; do
	row="| $n |"
	declare -A failed=()
	for k in "${kernels[@]}"; do
		f=$(grep -c "^TEST $n rc=1$" "$work/$k.txt" || true)
		r=$(grep -c "^TEST $n rc=" "$work/$k.txt" || true)
		failed[$k]=$f
		row="$row $f of $r failed |"
		[ "$r" = "$runs" ] || echo "export-rates: $n on $k ran $r of $runs times" >&2
	done
	echo "$row"
	if [ "${#kernels[@]}" -ge 2 ]; then
		echo "  $n: Fisher's exact test, ${kernels[0]} against ${kernels[1]}: p = $(fisher "${failed[${kernels[0]}]}" "$runs" "${failed[${kernels[1]}]}" "$runs")"
	fi
	unset failed
done
