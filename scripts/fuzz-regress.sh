#!/bin/bash
# The parsers' regression corpus (inputs that once broke something, and the
# harnesses' seeds) replayed under AddressSanitizer and UBSan; part of
# `make check`. Any sanitizer report or broken property fails.
set -uo pipefail
cd "$(dirname "$0")/.."
rc=0
for h in log text bin; do
	files=$(ls tests/fuzz/seeds/$h/* tests/fuzz/regress/$h/* 2>/dev/null)
	if ! out=$(build/fuzz/asan_$h $files 2>&1); then
		echo "$out" | tail -20
		echo "not ok fuzz-regress: $h"
		rc=1
	else
		echo "ok fuzz-regress: $h ($(echo $files | wc -w) inputs under ASan+UBSan)"
	fi
done
exit $rc
