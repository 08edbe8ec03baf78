#!/bin/bash
# `make run`: the product on its defaults. A short AFL++ campaign on
# `buggy` (dio_race_delay_ms=200) from corpus/seeds that stops at the first
# finding or after 10 minutes, the finding shown, reproduced on `buggy`
# (its recorded log replayed, the workload rerun) and shown gone on `fixed`.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${LWFUZZ_DEMO_OUT:-$(mktemp -d /tmp/lwfuzz-demo.XXXXXX)}/campaign
echo "== a campaign on buggy, until the first finding (at most 10 minutes): $out"
bin/lwfuzz fuzz -k buggy --delay-ms 200 --time 10m --stop-on-finding \
	--no-minimize --out "$out"
case $? in
0) echo "demo: no finding in 10 minutes"; exit 1 ;;
1) ;;
*) echo "demo: the campaign failed" >&2; exit 2 ;;
esac
finding=$(ls -d "$out"/findings/*/ | head -1)
echo
echo "== the finding: $finding"
cat "$finding/signature"
sed 's/^/    /' "$finding/workload.lw"
grep -o '"entry": [0-9]*, "flags": "[^"]*"' "$finding/report.json" | head -1 |
	sed 's/^/first failing crash state: /'
echo
echo "== reproduced on buggy: the recorded log replayed, the workload rerun 3 times"
bin/lwfuzz repro -k buggy --delay-ms 200 --runs 3 "$finding" | tail -3
buggy=${PIPESTATUS[0]}
echo
echo "== on fixed: the workload run 3 times"
bin/lwfuzz run -k fixed --delay-ms 200 --runs 3 "$finding/workload.lw" | tail -1
fixed=${PIPESTATUS[0]}
echo
if [ "$buggy" = 1 ] && [ "$fixed" = 0 ]; then
	echo "demo: the campaign's finding reproduces on buggy and is gone on fixed"
	exit 0
fi
echo "demo: buggy repro exit $buggy (want 1), fixed repro exit $fixed (want 0)" >&2
exit 1
