#!/bin/bash
# Kernel series 6.12 (Debian's linux-image-6.12-cloud-amd64 and
# linux-source-6.12) beside 6.1, end to end on the 6.12 kernel:
# - `lwfuzz setup -s 6.12` (make check's setup) resolved a 6.12 release and
#   built 6.12:stock and 6.12:stock-logfix (stock plus the port of the
#   log-commit fix, kmod-patch/6.12/0001); `lwfuzz kernels` says so;
# - the guest boots 6.12 (its uname in the run's console), records,
#   replays and checks: a seed of each kind of operation is clean;
# - the log-commit race (docs/bugs/log-commit-race.md) reproduces on 6.12:
#   corpus/crashes/logcommit-k{0,1}-delay.lw fail on 6.12:stock in 5 of 5
#   runs and in 0 of 5 on 6.12:stock-logfix, the delay fired in every run
#   of both (the negative control: the window was open on the fix
#   variant too);
# - `lwfuzz bisect -s 6.12` walks the 6.12 series and names its 0001 as
#   the patch that makes the finding disappear.
. "$(dirname "$0")/lib.sh"
plan 10

"$LWFUZZ" kernels --json >"$WORK/kernels.json"
json=$(cat "$WORK/kernels.json")
rel=$(grep -o '"series": "6.12", "release": "[^"]*"' <<<"$json" | sed 's/.*"release": "//; s/"$//')
echo "# 6.12 release: ${rel:-none}"
check "kernels: series 6.12 has a 6.12 release" grep -q '^6\.12\.[0-9]*+deb[0-9]*-cloud-amd64$' <<<"$rel"
check "kernels: 6.12:stock and 6.12:stock-logfix are built" \
	bash -c "grep -q '\"name\": \"6.12:stock\", \"state\": \"built\"' '$WORK/kernels.json' &&
		 grep -q '\"name\": \"6.12:stock-logfix\", \"state\": \"built\"' '$WORK/kernels.json'"

# Seeds of each family: data (buffered; direct into prealloc), namespace
# (new entries, dir fsync), xattrs, mmap; every seed: make series-compare.
seeds="buffered-fsync prealloc-race dir-fsync-new-entries xattr-remove-fsync
       mmap-msync"
for s in $seeds; do
	[ -f "corpus/seeds/$s.lw" ] || bail_out "no corpus/seeds/$s.lw"
done
n=0
for s in $seeds; do
	f=$(run_failed 6.12:stock 1 "corpus/seeds/$s.lw" "$WORK/seed-$s")
	echo "# 6.12:stock $s: ${f:-?} of 1 failed"
	[ "${f:-x}" = 0 ] && n=$((n + 1))
done
check "5 seeds (data, prealloc, namespace, xattr, mmap) are clean on 6.12:stock ($n of 5)" test "$n" = 5
check "the guest ran Linux 6.12 (its dmesg)" \
	grep -qs "Linux version $rel" "$WORK"/seed-buffered-fsync/dmesg.txt

for k in 0 1; do
	wl=corpus/crashes/logcommit-k$k-delay.lw
	a=$(run_failed 6.12:stock 5 "$wl" "$WORK/k$k-stock")
	fa=$(delays_fired "$WORK/k$k-stock")
	b=$(run_failed 6.12:stock-logfix 5 "$wl" "$WORK/k$k-fix")
	fb=$(delays_fired "$WORK/k$k-fix")
	echo "# k$k: 6.12:stock ${a:-?} of 5 (delays $fa), 6.12:stock-logfix ${b:-?} of 5 (delays $fb)"
	check "k$k: fails on 6.12:stock in 5 of 5 runs" test "${a:-0}" = 5
	check "k$k: clean on 6.12:stock-logfix in 5 of 5 runs, the delay fired in every run of both" \
		test "${b:-x}/$fa/$fb" = "0/5 5/5 5"
done

"$LWFUZZ" bisect -s 6.12 -n 3 corpus/crashes/logcommit-k0-delay.lw >"$WORK/bisect.txt" 2>&1
rc=$?
sed 's/^/# /' "$WORK/bisect.txt"
check "bisect -s 6.12 names kmod-patch/6.12's 0001 (exit $rc)" \
	bash -c "test $rc = 0 && grep -q '0001-btrfs-record-the-log-transaction' '$WORK/bisect.txt'"
check "bisect -s 6.12 built nothing new: both prefixes are the cached variants" \
	bash -c "! grep -q 'building btrfs.ko' '$WORK/bisect.txt'"
