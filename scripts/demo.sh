#!/bin/bash
# `make run` until the AFL++ campaign lands: the product's claim on its
# defaults. The race seed on `buggy` (dio_race_delay_ms=200) must show the
# missing-csum corruption; on `fixed` it must not, in 3 runs.
set -uo pipefail
cd "$(dirname "$0")/.."
seed=corpus/seeds/prealloc-race.lw
echo "== $seed on buggy (dio_race_delay_ms=200)"
bin/lwfuzz run -k buggy --delay-ms 200 "$seed"
buggy=$?
echo
echo "== the same on fixed, 3 runs"
bin/lwfuzz run -k fixed --delay-ms 200 --runs 3 "$seed"
fixed=$?
echo
if [ $buggy = 1 ] && [ $fixed = 0 ]; then
	echo "demo: the race corrupts buggy and not fixed, as expected"
	exit 0
fi
echo "demo: unexpected: buggy exit $buggy (want 1), fixed exit $fixed (want 0)" >&2
exit 1
