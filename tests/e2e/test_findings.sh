#!/bin/bash
# What a finding is good for: `lwfuzz repro` replays its saved log to the
# same verdict without the race and reruns the workload; `lwfuzz bisect`
# between fixed and buggy names the seed-fix patch as the one that makes
# it disappear. (Runs: 2 per variant; with dio_race_delay_ms=200 the race
# is deterministic, so 2 of 2 on buggy and 0 of 2 on fixed are required.)
# `lwfuzz minimize` of a workload that shows no finding is an answer, not
# an error: exit 0 and a line that says so (README "Exit codes").
. "$(dirname "$0")/lib.sh"
plan 9

fix=$(awk '$1 == "fixed" { print $2 }' kmod-patch/variants)
"$LWFUZZ" run -k buggy -d 200 -o "$WORK/finding" corpus/seeds/prealloc-race.lw >/dev/null 2>&1
check "finding: recorded by lwfuzz run --out" test -s "$WORK/finding/run-1/log.img"

out=$("$LWFUZZ" repro -n 2 -d 200 "$WORK/finding" 2>&1)
rc=$?
echo "$out" | grep '^repro' | sed 's/^/# /'
check "repro: reproduces the finding (exit 1)" test $rc = 1
check "repro: the saved log replays to the same verdict" \
	grep -q 'run-1/log.img: the finding reproduces' <<<"$out"
check "repro: the rerun reproduces the race in 2 of 2 runs" \
	grep -q 'failed a check in 2 of 2 reruns on buggy' <<<"$out"
out=$("$LWFUZZ" repro -k fixed -n 2 -d 200 corpus/seeds/prealloc-race.lw 2>&1)
rc=$?
echo "$out" | grep '^repro' | sed 's/^/# /'
check "repro: the workload does not reproduce on fixed (exit 0, 0 of 2 reruns)" \
	test $rc = 0 -a -n "$(grep -o 'failed a check in 0 of 2 reruns on fixed' <<<"$out")"

out=$("$LWFUZZ" bisect --good fixed --bad buggy -n 2 -d 200 "$WORK/finding" 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
check "bisect: names a patch (exit 0)" test $rc = 0
check "bisect: the seed fix makes the finding disappear" \
	grep -q "^bisect: $fix makes the finding disappear" <<<"$out"
out=$("$LWFUZZ" bisect --good buggy --bad fixed -n 1 -d 200 "$WORK/finding" 2>&1)
check "bisect: refs that contradict the runs are an error (exit 2)" \
	test $? = 2 -a -n "$(grep -o 'must show on the bad prefix' <<<"$out")"

out=$("$LWFUZZ" minimize -k fixed -n 1 -d 200 corpus/seeds/prealloc-race.lw 2>&1)
rc=$?
check "minimize: a workload clean on fixed is nothing to minimize (exit 0)" \
	test $rc = 0 -a -n "$(grep -o '^minimize: .* shows no finding on fixed; nothing to minimize' <<<"$out")" ||
	echo "$out" | tail -5 | sed 's/^/# /'
