#!/bin/bash
# Static checks of the project's own C (`make lint`, a step of
# tests/run.sh): cppcheck (warnings, performance, portability) and
# clang-tidy (the clang static analyzer and a few bugprone checks). Any
# finding fails; so does a tool that is missing or that could not check a
# file (one line naming what to install or what failed).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
src=$(ls lib/*.c replay/*.c guest/*.c vm/*.c setup/*.c fuzzer/*.c cmds/*.c tests/unit/*.c)
rc=0
for tool in cppcheck clang-tidy; do
	if ! command -v "$tool" >/dev/null; then
		echo "lint: $tool is missing: install the Debian package $tool (apt-get install $tool)"
		rc=1
	fi
done
[ $rc = 0 ] || exit $rc

out=$(cppcheck --enable=warning,performance,portability --std=c11 \
	-D_GNU_SOURCE -I. --inline-suppr -q --error-exitcode=3 $src 2>&1)
crc=$?
if [ -n "$out" ]; then
	echo "$out"
	echo "lint: cppcheck found the above"
	rc=1
elif [ $crc != 0 ]; then
	echo "lint: cppcheck failed (exit $crc) with nothing to say"
	rc=1
fi
# Left out: kernel style's !strcmp(), binary magics copied without a NUL,
# shell scripts written as concatenated literals, and checks that are
# about style rather than bugs.
checks='-*,clang-analyzer-*,-clang-analyzer-security.insecureAPI.*,bugprone-*,-bugprone-easily-swappable-parameters,-bugprone-narrowing-conversions,-bugprone-reserved-identifier,-bugprone-assignment-in-if-condition,-bugprone-implicit-widening-of-multiplication-result,-bugprone-suspicious-string-compare,-bugprone-not-null-terminated-result,-bugprone-suspicious-missing-comma'
# clang-tidy exits non-zero when it could not check a file (a compile
# error, a crash): that fails too, with what it said.
all=$(printf '%s\n' $src | xargs -P 2 -I{} clang-tidy --quiet -checks="$checks" \
	{} -- -std=gnu11 -D_GNU_SOURCE -I. 2>&1)
trc=$?
out=$(grep -E 'warning:|error:' <<<"$all")
if [ -n "$out" ]; then
	echo "$out"
	echo "lint: clang-tidy found the above"
	rc=1
elif [ $trc != 0 ]; then
	tail -20 <<<"$all"
	echo "lint: clang-tidy failed (exit $trc)"
	rc=1
fi
[ $rc = 0 ] && echo "lint: cppcheck and clang-tidy clean ($(echo $src | wc -w) files)"
exit $rc
