#!/bin/bash
# Static checks of the project's own C (`make lint`, part of `make check`):
# cppcheck (warnings, performance, portability) and clang-tidy (the clang
# static analyzer and a few bugprone checks). Any finding fails.
set -uo pipefail
cd "$(dirname "$0")/.."
src=$(ls lib/*.c replay/*.c guest/*.c vm/*.c setup/*.c fuzzer/*.c cmds/*.c tests/unit/*.c)
rc=0
out=$(cppcheck --enable=warning,performance,portability --std=c11 \
	-D_GNU_SOURCE -I. --inline-suppr -q $src 2>&1)
if [ -n "$out" ]; then
	echo "$out"
	echo "lint: cppcheck found the above"
	rc=1
fi
# Left out: kernel style's !strcmp(), binary magics copied without a NUL,
# shell scripts written as concatenated literals, and checks that are
# about style rather than bugs.
checks='-*,clang-analyzer-*,-clang-analyzer-security.insecureAPI.*,bugprone-*,-bugprone-easily-swappable-parameters,-bugprone-narrowing-conversions,-bugprone-reserved-identifier,-bugprone-assignment-in-if-condition,-bugprone-implicit-widening-of-multiplication-result,-bugprone-suspicious-string-compare,-bugprone-not-null-terminated-result,-bugprone-suspicious-missing-comma'
out=$(printf '%s\n' $src | xargs -P 2 -I{} clang-tidy --quiet -checks="$checks" \
	{} -- -std=gnu11 -D_GNU_SOURCE -I. 2>/dev/null | grep -E 'warning:|error:')
if [ -n "$out" ]; then
	echo "$out"
	echo "lint: clang-tidy found the above"
	rc=1
fi
[ $rc = 0 ] && echo "lint: cppcheck and clang-tidy clean ($(echo $src | wc -w) files)"
exit $rc
