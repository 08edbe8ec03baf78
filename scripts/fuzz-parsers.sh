#!/bin/bash
# `make fuzz-parsers [FUZZ_SECONDS=N]`: each parser harness under afl-fuzz
# for N seconds from tests/fuzz/seeds/; prints executions and findings per
# harness and copies new crashing inputs into tests/fuzz/regress/ for
# triage (fix the parser, then keep the input there: make check replays it).
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
out=$(mktemp -d /tmp/lwfuzz-parsers.XXXXXX)
trap 'rm -rf "$out"' EXIT
total=0
for h in log text bin; do
	AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_QUIET=1 \
		afl-fuzz -i tests/fuzz/seeds/$h -o "$out/$h" -V "$secs" \
		-- bin/fuzz/harness_$h >"$out/$h.log" 2>&1
	stats=$out/$h/default/fuzzer_stats
	execs=$(awk -F: '/^execs_done/ { print $2 + 0 }' "$stats" 2>/dev/null)
	crashes=$(awk -F: '/^saved_crashes/ { print $2 + 0 }' "$stats" 2>/dev/null)
	# How far it got: the corpus it grew and the edges it reached.
	corpus=$(awk -F: '/^corpus_count/ { print $2 + 0 }' "$stats" 2>/dev/null)
	cvg=$(awk -F: '/^bitmap_cvg/ { gsub(/ /, "", $2); print $2 }' "$stats" 2>/dev/null)
	echo "fuzz-parsers: $h: ${execs:-0} executions in $secs s, ${crashes:-0} crashes (corpus ${corpus:-?}, map ${cvg:-?})"
	for c in "$out/$h"/default/crashes/id:*; do
		[ -e "$c" ] || continue
		cp "$c" "tests/fuzz/regress/$h/$(basename "$c" | tr ':,' '__')"
	done
	total=$((total + ${crashes:-0}))
done
[ "$total" = 0 ] || echo "fuzz-parsers: $total crashing inputs copied to tests/fuzz/regress/"
exit $((total > 0))
