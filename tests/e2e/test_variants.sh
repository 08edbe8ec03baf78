#!/bin/bash
# The three built btrfs.ko differ where they should: each names its variant
# and its patches in modinfo, only buggy and fixed have dio_race_delay_ms,
# only fixed carries the fix, and the three are different code.
. "$(dirname "$0")/lib.sh"
plan 12

cache=${LWFUZZ_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lwfuzz}
fix=$(awk '$1 == "fixed" { print $2 }' kmod-patch/variants)
ko() { echo "$cache/variants/$1/btrfs.ko"; }

for v in stock buggy fixed; do
	check "variant-$v: modinfo names the variant" \
		test "$(modinfo -F lwfuzz_variant "$(ko $v)")" = "$v"
	check "variant-$v: modinfo vermagic is the kernel's" \
		grep -q "^$(modinfo -F vermagic "$(ko $v)" | cut -d' ' -f1)\$" \
		<(ls "$cache/kernel")
done
check "variant-stock: no patches, no dio_race_delay_ms" \
	test "$(modinfo -F lwfuzz_patches "$(ko stock)")" = none -a \
	-z "$(modinfo -p "$(ko stock)" | grep dio_race_delay_ms)"
for v in buggy fixed; do
	check "variant-$v: has dio_race_delay_ms" \
		grep -q '^dio_race_delay_ms:' <(modinfo -p "$(ko $v)")
done
check "variant-buggy: does not carry the fix" \
	test -z "$(modinfo -F lwfuzz_patches "$(ko buggy)" | tr , '\n' | grep -x "$fix")"
check "variant-fixed: carries the fix, as its last patch" \
	test "$(modinfo -F lwfuzz_patches "$(ko fixed)" | tr , '\n' | tail -1)" = "$fix"
# The text sections (the code) differ pairwise.
text() { objcopy -O binary --only-section=.text "$(ko $1)" "$WORK/$1.text"; }
text stock && text buggy && text fixed
check "variants: stock, buggy and fixed are three different builds" \
	bash -c "! cmp -s $WORK/stock.text $WORK/buggy.text && ! cmp -s $WORK/buggy.text $WORK/fixed.text"
