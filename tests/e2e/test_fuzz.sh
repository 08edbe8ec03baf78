#!/bin/bash
# The campaign machinery end to end (a short campaign, not yet the issue's
# "rediscover the race without its seed"): one persistent VM serves AFL++'s
# executions; seeds that fail a check are filed as findings, one per
# signature; on buggy with dio_race_delay_ms=200 the race seeds give
# missing-csum (and stale, for the NOCOW seed) findings, on fixed the same
# campaign files none; no QEMU is left behind.
. "$(dirname "$0")/lib.sh"

out=$("$LWFUZZ" fuzz -k buggy -d 200 -t 45s -o "$WORK/buggy" 2>&1)
rc=$?
echo "$out" | grep -E 'new finding|unique|executions' | tail -5 | sed 's/^/# /'
check "fuzz-buggy: the campaign files findings (exit 1)" test $rc = 1
check "fuzz-buggy: a missing-csum finding with its workload and report" \
	bash -c "grep -l '^missing-csum' '$WORK'/buggy/findings/*/signature >/dev/null &&
		 ls '$WORK'/buggy/findings/*/workload.lw '$WORK'/buggy/findings/*/report.json >/dev/null"
check "fuzz-buggy: one finding per signature" \
	test "$(cat "$WORK"/buggy/findings/*/signature | sort | uniq -d | wc -l)" = 0
execs=$(sed -n 's/.*elapsed, \([0-9]*\) executions.*/\1/p' <<<"$out" | tail -1)
check "fuzz-buggy: AFL++ executed mutants through the VM (${execs:-0} > 5)" \
	test "${execs:-0}" -gt 5
check "fuzz: no QEMU left after the campaign" no_qemu_left

out=$("$LWFUZZ" fuzz -k fixed -d 200 -t 45s -o "$WORK/fixed" 2>&1)
rc=$?
echo "$out" | grep -E 'unique|executions' | tail -2 | sed 's/^/# /'
check "fuzz-fixed: the same campaign finds nothing (exit 0)" test $rc = 0
check "fuzz: an existing campaign directory is refused" \
	bash -c "! '$LWFUZZ' fuzz -t 10s -o '$WORK/fixed' 2>/dev/null"
