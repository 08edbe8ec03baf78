#!/bin/bash
# `lwfuzz run` end to end: the product's central claim with the race seed
# and dio_race_delay_ms=200 — buggy: a missing-csum finding naming the file
# and range (exit 1); fixed and stock: nothing in 5 runs each (exit 0). The
# delay makes the race deterministic, so this must hold every time: the
# required rates are 1/1 on buggy and 0/5 on fixed and on stock (every
# other seed on stock: test_oracle.sh). Bad workloads: one line naming the
# line or op, exit 2.
. "$(dirname "$0")/lib.sh"

seed=corpus/seeds/prealloc-race.lw
plan 14
out=$("$LWFUZZ" run -k buggy -d 200 -o "$WORK/buggy" "$seed" 2>&1)
rc=$?
echo "$out" | grep -E '^run' | sed 's/^/# /'
check "run-buggy: the race seed finds the bug (exit 1)" test $rc = 1
check "run-buggy: missing-csum names the file and range" \
	grep -q 'FINDING missing-csum f0 (root 5 inode 257) file \[524288, 589824)' <<<"$out"
check "run-buggy: --out keeps workload, text and JSON report, dmesg, log" \
	test -s "$WORK/buggy/workload.lw" -a -s "$WORK/buggy/output.txt" -a \
	-s "$WORK/buggy/run-1/report.json" -a -s "$WORK/buggy/dmesg.txt" -a \
	-s "$WORK/buggy/run-1/log.img"
"$LWFUZZ" replay "$WORK/buggy/run-1/log.img" >/dev/null 2>&1
check "run-buggy: the saved log reproduces the finding without the race" test $? = 1

out=$("$LWFUZZ" run -k buggy -d 200 corpus/seeds/prealloc-race-nocow.lw 2>&1)
rc=$?
check "run-buggy: on a NOCOW file the race shows as stale data (exit 1)" \
	test $rc = 1 -a -n "$(grep -F 'FINDING stale f0 file [524288, 589824)' <<<"$out")"
check "run-buggy: ... and not as missing-csum (NODATASUM has none)" \
	lacks 'FINDING missing-csum' "$out"

for v in fixed stock; do
	out=$("$LWFUZZ" run -k "$v" -d 200 -n 5 "$seed" 2>&1)
	rc=$?
	echo "$out" | grep -E '^run: ' | sed 's/^/# /'
	check "run-$v: the race seed finds nothing in 5 runs (exit 0)" \
		test $rc = 0 -a -n "$(grep -o 'failed in 0 of 5 runs' <<<"$out")"
done

# Bad input: caught on the host, one line, exit 2.
bad() { # NAME TEXT EXPECTED-MESSAGE
	printf '%b' "$2" >"$WORK/bad.lw"
	out=$("$LWFUZZ" run "$WORK/bad.lw" 2>&1)
	local rc=$?
	check "run: $1 is one line naming it (exit 2)" \
		test $rc = 2 -a "$(wc -l <<<"$out")" = 1 -a -n "$(grep -F -- "$3" <<<"$out")"
}
bad "a syntax error" "open f0 creat\npwrit f0 0 4K\n" "line 2: unknown operation 'pwrit'"
bad "an offset past the bound" "open f0 creat\npwrite f0 1T 4K\n" "line 2: pwrite: expected an offset"
bad "an offset past the limit" "open f0 creat\npwrite f0 1G 4K\n" "line 2: pwrite: offset beyond the limit"
bad "unaligned direct IO" "open f0 creat\npwrite f0 100 4K direct\n" "line 2: pwrite: direct IO needs offset and length multiples of 4096"

# A barrier one thread never reaches: bounded, named, exit 2.
printf 'thread\nopen f0 creat\nbarrier 1\nbarrier 1\nthread\nbarrier 1\n' >"$WORK/deadlock.lw"
out=$("$LWFUZZ" run -T 3 "$WORK/deadlock.lw" 2>&1)
rc=$?
echo "$out" | grep HANG | sed 's/^/# /'
check "run: a barrier deadlock is reported with its line (exit 2)" \
	test $rc = 2 -a -n "$(grep -F 'HANG: line 4: barrier 1 did not finish within 3 s' <<<"$out")"
next_run() { "$LWFUZZ" run corpus/seeds/punch-hole.lw >/dev/null 2>&1; }
check "run: ... and the next run works" next_run
