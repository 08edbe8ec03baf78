#!/bin/bash
# The parsers' regression corpus (inputs that once broke something, and the
# harnesses' seeds) replayed under AddressSanitizer and UBSan; a step of
# tests/run.sh, which reads its TAP lines: one check per harness. Any
# sanitizer report or broken property fails, and so does a harness with
# no inputs to replay (an empty or missing corpus proves nothing).
set -uo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.." || exit 2
harnesses=(log text bin mark)
echo "1..${#harnesses[@]}"
rc=0
for h in "${harnesses[@]}"; do
	files=(tests/fuzz/seeds/$h/* tests/fuzz/regress/$h/*)
	if [ ${#files[@]} = 0 ]; then
		echo "not ok fuzz-regress: $h: no inputs in tests/fuzz/seeds/$h or tests/fuzz/regress/$h"
		rc=1
	elif ! out=$(build/fuzz/asan_$h "${files[@]}" 2>&1); then
		echo "$out" | tail -20 | sed 's/^/# /'
		echo "not ok fuzz-regress: $h"
		rc=1
	else
		echo "ok fuzz-regress: $h (${#files[@]} inputs under ASan+UBSan)"
	fi
done
exit $rc
