#!/bin/bash
# A built kernel tree as a kernel of the user's own (`lwfuzz setup --own
# NAME --tree DIR`): Debian's 6.12 source built with x86_64_defconfig,
# kvm_guest.config and btrfs and the device-mapper targets as modules
# (scripts/build-kernel-tree.sh; make check builds it once into the cache).
# Its modules come from the tree's own `make modules_install`; it boots,
# runs a seed clean, the guest says the tree's release, and `lwfuzz
# kernels` names the tree as its origin. A tree without built modules or
# without a bzImage is refused with one line, exit 2, nothing cached.
. "$(dirname "$0")/lib.sh"
plan 7

tree=$(scripts/build-kernel-tree.sh 6.12 2>/dev/null) ||
	bail_out "no built kernel tree (make check's kernel-tree target builds it)"
rel=$(cat "$tree/include/config/kernel.release")
export LWFUZZ_CACHE=$WORK/cache

out=$("$LWFUZZ" setup --own tree --tree "$tree" -n 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
check "setup --own tree --tree (Linux $rel; exit $rc)" test "$rc" = 0
check "kernels lists own:tree with its release and the tree as origin" \
	bash -c "'$LWFUZZ' kernels | grep -A1 '^own:tree *release $rel' | grep -q 'tree $tree'"
f=$(run_failed own:tree 1 corpus/seeds/buffered-fsync.lw "$WORK/run")
echo "# own:tree buffered-fsync: ${f:-?} of 1 failed"
check "own:tree boots and runs a seed clean" test "${f:-x}" = 0
check "... the guest ran the tree's kernel (Linux $rel)" \
	grep -qs "Linux version $rel" "$WORK/run/dmesg.txt"

# A tree whose modules were never built, and one with nothing built.
mkdir -p "$WORK/nomods/arch/x86/boot" "$WORK/bare"
ln -s "$tree/arch/x86/boot/bzImage" "$WORK/nomods/arch/x86/boot/bzImage"
"$LWFUZZ" setup --own nomods --tree "$WORK/nomods" -n 2>"$WORK/e1"
r1=$?
"$LWFUZZ" setup --own bare --tree "$WORK/bare" -n 2>"$WORK/e2"
r2=$?
cat "$WORK"/e[12] | sed 's/^/# /'
check "a tree without built modules: exit 2, one line saying to run 'make modules'" \
	test "$r1/$(wc -l <"$WORK/e1")/$(grep -c "no modules built.*make modules" "$WORK/e1")" = 2/1/1
check "a tree without a bzImage: exit 2, one line saying to build it" \
	test "$r2/$(wc -l <"$WORK/e2")/$(grep -c "no arch/x86/boot/bzImage" "$WORK/e2")" = 2/1/1
check "... and nothing of either is left in the cache" \
	bash -c "! ls -d '$LWFUZZ_CACHE'/kernel/own/nomods* '$LWFUZZ_CACHE'/kernel/own/bare* '$LWFUZZ_CACHE'/variants/own/nomods '$LWFUZZ_CACHE'/variants/own/bare '$LWFUZZ_CACHE'/own-tree.tmp 2>/dev/null"
