#!/bin/bash
# `lwfuzz setup` on a warm cache does nothing and says so; its bad inputs
# (a patch that no longer applies, no room for the cache, an unknown
# variant) get one clear line, a non-zero exit, and nothing half-built left
# in the cache.
. "$(dirname "$0")/lib.sh"
plan 10

cache=${LWFUZZ_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lwfuzz}
nvariants=$(grep -cv '^#' kmod-patch/variants)
out=$("$LWFUZZ" setup -n 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
check "setup: warm cache succeeds" test $rc = 0
check "setup: warm cache rebuilds nothing ($nvariants variants)" \
	test "$(grep -c 'up to date' <<<"$out")" = "$nvariants"

out=$("$LWFUZZ" kernels 2>&1)
check "kernels: all $nvariants variants built" \
	test "$(grep -cE '^ +[a-z0-9-]+ +built' <<<"$out")" = "$nvariants"
check "kernels: --json names the release" \
	bash -c "'$LWFUZZ' kernels --json | grep -q '\"release\": \"6\\.1\\.'"

# A tree whose series has a patch that does not apply to linux-source-6.1.
root=$WORK/root
mkdir -p "$root"
mkdir -p "$root/lib"
cp -r kmod-patch kmod guest "$root"/
cp lib/lwfuzz_kmod.h "$root/lib/"
cat >"$root/kmod-patch/9999-does-not-apply.patch" <<'PATCH'
--- a/fs/btrfs/inode.c
+++ b/fs/btrfs/inode.c
@@ -1,3 +1,3 @@
-this line is not in inode.c
+nor is this one
 and neither is this
PATCH
echo 9999-does-not-apply.patch >>"$root/kmod-patch/series"
echo "broken 9999-does-not-apply.patch" >>"$root/kmod-patch/variants"
out=$(LWFUZZ_ROOT=$root "$LWFUZZ" setup -n -k broken 2>&1)
rc=$?
echo "$out" | tail -3 | sed 's/^/# /'
check "setup: a patch that no longer applies fails (exit 2)" test $rc = 2
check "setup: ... naming the patch" \
	grep -q "patch kmod-patch/9999-does-not-apply.patch no longer applies" <<<"$out"
check "setup: ... leaving no variant in the cache" \
	test ! -e "$cache/variants/broken" -a ! -e "$cache/variants/broken.tmp"

out=$("$LWFUZZ" setup -n -k nosuch 2>&1)
check "setup: unknown variant is an error" \
	test $? != 0 -a -n "$(grep -o "unknown kernel variant 'nosuch'" <<<"$out")"

# No room for the cache: a 1 MiB tmpfs.
mkdir -p "$WORK/tiny"
if mount -t tmpfs -o size=1m tmpfs "$WORK/tiny" 2>/dev/null; then
	out=$(LWFUZZ_CACHE=$WORK/tiny/cache "$LWFUZZ" setup -n 2>&1)
	rc=$?
	umount "$WORK/tiny"
	check "setup: no space for the cache is an error (exit 2)" test $rc = 2
	check "setup: ... saying so" grep -q "not enough space for the cache" <<<"$out"
else
	not_ok "setup: no space for the cache is an error (cannot mount a tmpfs to test it: need root)"
	skip "setup: ... saying so" "no tmpfs to fill"
fi
