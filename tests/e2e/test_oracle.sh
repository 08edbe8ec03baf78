#!/bin/bash
# The persistence oracle on the real kernel: every seed of corpus/seeds
# runs once on `stock` (one VM for all). The two seeds modeled on fstests
# generic/764 and generic/779 hit bugs whose upstream fixes Debian's 6.1
# lacks (5e85262e542d, 953902e4fb4c): each must fail with the broken
# promise named (rule, durability point, path, what was found). Every
# other seed must be clean — and must have made promises, so that its
# clean verdict means the oracle held it to something.
. "$(dirname "$0")/lib.sh"

seeds=(corpus/seeds/*.lw)
plan $((${#seeds[@]} + 6))

files=(-f tests/e2e/guest_seeds.sh)
for s in "${seeds[@]}"; do
	files+=(-f "$s")
done
for d in data:256M log:2G target:256M cow:256M; do
	truncate -s "${d#*:}" "$WORK/${d%%:*}.img"
done
"$LWFUZZ" vm -k stock -t 1200 -d "$WORK/data.img" -d "$WORK/log.img" \
	-d "$WORK/target.img" -d "$WORK/cow.img" "${files[@]}" \
	-- sh /in/guest_seeds.sh >"$WORK/seeds.out" 2>&1
rc=$?
check "all seeds ran in one VM (exit 0)" test $rc = 0 ||
	tail -20 "$WORK/seeds.out" | sed 's/^/# /'

# verdict NAME: "rc=N promises=P" of one seed from the guest's output.
verdict() {
	awk -v s="$1" '
		/^run 1\/1: workload done/ { p = $0; sub(/.* marks, /, "", p);
					    sub(/ promises.*/, "", p) }
		$1 == "SEED" && $2 == s { print $3, "promises=" p; exit }
	' "$WORK/seeds.out"
}

# The output between the seed's start and its SEED line.
section() {
	awk -v s="$1" '
		$1 == "SEED" { if ($2 == s) { print buf; exit } buf = ""; next }
		{ buf = buf $0 "\n" }
	' "$WORK/seeds.out"
}

for s in "${seeds[@]}"; do
	name=$(basename "$s" .lw)
	v=$(verdict "$name")
	case $name in
	unlink-open-fsync | symlink-renamed-logged)
		check "$name: fails on stock (a known unfixed bug)" \
			grep -q '^rc=1 ' <<<"$v"
		;;
	*)
		check "$name: clean on stock, with promises ($v)" \
			grep -Eq '^rc=0 promises=[1-9]' <<<"$v"
		;;
	esac
done

out=$(section unlink-open-fsync)
check "generic/764: the unlinked file's name is back after the crash" \
	grep -q 'FINDING name d0/f0: fsync-unlinked promise of fsync-t0-o4 (log entry [0-9]*): inode [0-9]* was unlinked, found it still named here' <<<"$out"
check "generic/764: not before the fsync returned (its own point)" \
	grep -q 'MARK promised-fsync-t0-o4: FAILED' <<<"$out"
out=$(section symlink-renamed-logged)
check "generic/779: the directory has the symlink's old name, not its new one" \
	grep -q "FINDING name d0: fsync-dir promise of fsync-t0-o4 (log entry [0-9]*): expected entries 'll1', found 'll0' (lost: l1) (unexpected: l0)" <<<"$out"
check "generic/779: the new name is missing" \
	grep -q 'FINDING name d0/l1: fsync-dir promise of fsync-t0-o4 (log entry [0-9]*): expected lnk, found no such file' <<<"$out"
check "every seed reported a verdict" \
	test "$(grep -c '^SEED ' "$WORK/seeds.out")" = ${#seeds[@]}
