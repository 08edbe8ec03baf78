#!/bin/bash
# The bug museum's variants are real kernels with one upstream fix
# reverted each: every museum variant's own seed (the one whose comment
# says "museum-NNN reopens") fails on it with the check the bug breaks,
# in one run. The same seeds are clean on stock (test_oracle.sh), so a
# failure here is the reverted fix's absence, not the seed.
. "$(dirname "$0")/lib.sh"

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
	case $v in
	museum-784)
		check "$v: the crash state after the fsync does not mount" \
			grep -q 'FINDING mount' <<<"$out"
		;;
	*)
		check "$v: a directory fsync's promise of a new directory is broken" \
			grep -Eq "FINDING name \.: fsync-dir promise of fsync-t0-o[0-9]+ \(log entry [0-9]+\): expected entries '[^']*', found '[^']*' \(lost: d[0-9]" <<<"$out"
		;;
	esac
done
