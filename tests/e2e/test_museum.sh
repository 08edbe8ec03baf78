#!/bin/bash
# The bug museum's variants are real kernels with one upstream fix
# reverted each: every museum variant's own seed (the one whose comment
# says "museum-NNN reopens") fails on it with the check the bug breaks,
# in one run. The same seeds are clean on stock (test_oracle.sh), so a
# failure here is the reverted fix's absence, not the seed.
. "$(dirname "$0")/lib.sh"

# expected VARIANT: what the crash states show, as the bug's fstests test
# says (docs/museum.md).
expected() {
	case $1 in
	museum-782) echo "FINDING name \.: fsync-dir promise of fsync-t0-o[0-9]+ \(log entry [0-9]+\): expected entries 'dd0/rf0', found 'rf0' \(lost: d0\)" ;;
	museum-784) echo 'FINDING mount: .*invalid nlink: has 2 expect no more than 1 for dir' ;;
	museum-341) echo 'FINDING mount: mount failed' ;;
	museum-789) echo 'FINDING data d0/f0: fsync promise of fsync-t0-o[0-9]+ \(log entry [0-9]+\): expected size 0, found 65536' ;;
	*) echo "no expectation written for $1" ;;
	esac
}

variants=($(awk '$1 ~ /^museum-/ { print $1 }' kmod-patch/variants))
plan $((2 * ${#variants[@]} + 1))

check "the museum has at least four variants" test ${#variants[@]} -ge 4
for v in "${variants[@]}"; do
	seed=$(grep -l "($v reopens" corpus/seeds/*.lw | head -1)
	out=$("$LWFUZZ" run -k "$v" "$seed" 2>&1)
	rc=$?
	echo "$out" | grep -E 'FINDING|^run 1/1: (CLEAN|CORRUPT)' | sort -u |
		head -4 | sed 's/^/# /'
	check "$v: its seed $(basename "${seed:-none}") fails (exit 1)" test $rc = 1
	check "$v: the failure is the bug's own" grep -Eq "$(expected "$v")" <<<"$out"
done
