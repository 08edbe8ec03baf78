#!/bin/bash
# A kernel of the user's own (`lwfuzz setup --own`), tried with Debian's
# 6.12 image and modules as if they were a user's (make check sets 6.12
# up): it is copied into a cache of its own (nothing of the shared cache
# changes), boots, runs a seed clean and says which kernel it ran;
# `lwfuzz kernels` lists it with its origin. The same modules without
# dm-log-writes are refused with the one line naming the option, exit 2,
# and leave nothing in the cache; so are bad names and paths.
. "$(dirname "$0")/lib.sh"
plan 8

rel=$("$LWFUZZ" kernels --json | grep -o '"series": "6.12", "release": "[^"]*"' |
	sed 's/.*"release": "//; s/"$//')
[ -n "$rel" ] || bail_out "6.12 is not set up (make check's setup does it)"
kdir=$(dirname "$(ls -d "${LWFUZZ_CACHE:-$HOME/.cache/lwfuzz}/kernel/$rel/boot")")
img=$kdir/boot/vmlinuz-$rel
mods=$kdir/lib/modules/$rel
export LWFUZZ_CACHE=$WORK/cache

out=$("$LWFUZZ" setup --own deb612 --image "$img" --modules "$mods" 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
check "setup --own deb612 with 6.12's image and modules (exit $rc)" test "$rc" = 0
check "kernels lists own:deb612 with its release and origin" \
	bash -c "'$LWFUZZ' kernels | grep -A1 '^own:deb612 *release $rel' | grep -q 'image $img'"
f=$(run_failed own:deb612 1 corpus/seeds/buffered-fsync.lw "$WORK/run")
echo "# own:deb612 buffered-fsync: ${f:-?} of 1 failed"
check "own:deb612 boots and runs a seed clean" test "${f:-x}" = 0
check "... the guest ran the given kernel (Linux $rel)" \
	grep -qs "Linux version $rel" "$WORK/run/dmesg.txt"

mkdir -p "$WORK/nolw"
cp -a "$mods" "$WORK/nolw/"
find "$WORK/nolw" -name 'dm-log-writes.ko*' -delete
out=$("$LWFUZZ" setup --own nolw --image "$img" --modules "$WORK/nolw/$rel" 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
check "a kernel without dm-log-writes is refused (exit $rc)" test "$rc" = 2
check "... with one line naming the option" \
	test "$(grep -c 'error' <<<"$out")/$(grep -c 'no dm-log-writes: enable CONFIG_DM_LOG_WRITES' <<<"$out")" = 1/1
check "... and nothing of it is left in the cache" \
	bash -c "! ls -d '$LWFUZZ_CACHE'/kernel/own/nolw* '$LWFUZZ_CACHE'/variants/own/nolw 2>/dev/null"
"$LWFUZZ" setup --own 'a/b' --image "$img" --modules "$mods" 2>"$WORK/e1"
r1=$?
"$LWFUZZ" setup --own x --image "$WORK" --modules "$mods" 2>"$WORK/e2"
r2=$?
"$LWFUZZ" setup --own x --image "$img" --modules "$WORK" 2>"$WORK/e3"
r3=$?
cat "$WORK"/e[123] | sed 's/^/# /'
check "bad name, image, modules: exit 2 each with one line" \
	test "$r1$r2$r3/$(cat "$WORK"/e[123] | wc -l)" = 222/3
