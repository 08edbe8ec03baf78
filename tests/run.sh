#!/bin/bash
# The test runner of `make check`. Ends with the line
# "N passed, N failed, N skipped" and exits 1 on any failure.
#   tests/run.sh              everything: unit tests, the steps, end to end
#   tests/run.sh --unit-only  only the unit tests
#   tests/run.sh --e2e-only   only the end-to-end tests
#   tests/run.sh --steps-only only the steps (lint, layout, fuzz-regress,
#                             runner-selftest)
#   tests/run.sh --scripts DIR  only the end-to-end scripts DIR/test_*.sh
#                               (or the one script DIR names)
#   tests/run.sh --units DIR    only the unit binaries DIR/test_* (or one)
# (--scripts and --units may be combined; tests/runner-selftest.sh holds
# this runner to its rules with them.)
#
# The rules:
# - Unit tests (cmocka) run under valgrind, so a memory error fails them.
#   Each test cmocka reports passed, failed or skipped counts once. The
#   binary itself fails once more when its exit status is not its number
#   of failed tests (valgrind's 99, a crash, an exit with no cmocka
#   verdict), when cmocka's counts do not add up to the tests it said it
#   was running ("[==========] Running N test(s)."), or when a
#   tests/unit/test_X.c has no build/tests/test_X, or one older than it.
# - The steps: lint (scripts/static-check.sh), the layout rules
#   (scripts/layout-check.sh) and the runner's self-test
#   (tests/runner-selftest.sh) are one check each, passed when they exit
#   0; the parser regression (scripts/fuzz-regress.sh) is read like an
#   end-to-end script, one check per harness.
# - End-to-end scripts speak TAP: "1..N" (the plan, before the first
#   check), then "ok NAME", "not ok NAME", "ok NAME # SKIP WHY" (skipped).
#   Each "ok" passes, each "not ok" fails, each SKIP is skipped. The script
#   fails once more, with the reasons named, when it printed no plan,
#   more than one, a plan after its first check, ran other than the
#   planned number of checks, bailed out ("Bail out! WHY"), or exited
#   non-zero other than 1 with some "not ok" (a crash, an exit 3, an exit 1
#   with every check passing).
set -u
shopt -s lastpipe
# join ITEM...: the items with "; " between them.
join() {
	local IFS=$'\t'
	sed 's/\t/; /g' <<<"$*"
}
cd "$(dirname "$0")/.." || exit 2
pass=0
fail=0
skipped=0
failed=()

# count_unit BINARY: run one cmocka binary under valgrind and count it.
count_unit() {
	local t=$1 out rc n p f s why=()
	out=$(valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite "$t" 2>&1)
	rc=$?
	grep -E '^\[=+\] Running|^\[ *(PASSED|FAILED|SKIPPED|ERROR|LINE|OK) *\]|ERROR SUMMARY|^==[0-9]+==' \
		<<<"$out" | sed 's/^/    /'
	# Summed over the groups of the binary.
	sum() { sed -n "s/$1/\1/p" <<<"$out" | awk '{ s += $1 } END { print s + 0 }'; }
	n=$(sum '^\[=*\] Running \([0-9]*\) test.*')
	p=$(sum '^\[  PASSED  \] \([0-9]*\) test.*')
	f=$(sum '^\[  FAILED  \] \([0-9]*\) test.*')
	s=$(sum '^\[  SKIPPED \] \([0-9]*\) test.*')
	pass=$((pass + p))
	fail=$((fail + f))
	skipped=$((skipped + s))
	if [ "$f" -gt 0 ]; then
		while IFS= read -r name; do
			failed+=("$t: $name")
		done < <(sed -n 's/^\[  FAILED  \] \([^0-9].*\)/\1/p' <<<"$out" | sort -u)
	fi
	if ! grep -qE '^\[=+\] Running [0-9]+ test' <<<"$out"; then
		why+=("no cmocka summary")
	elif [ $((p + f + s)) -ne "$n" ]; then
		why+=("cmocka started $n tests but counted $p passed, $f failed, $s skipped")
	fi
	if [ "$rc" -eq 99 ] && grep -qE '^==[0-9]+==' <<<"$out"; then
		why+=("valgrind found memory errors (exit 99)")
	elif [ "$rc" -ne 0 ] && [ "$rc" -ne $((f % 256)) ]; then
		why+=("exit $rc$( ((rc > 128)) && echo ", killed by signal $((rc - 128))")")
	fi
	if [ ${#why[@]} -gt 0 ]; then
		fail=$((fail + 1))
		failed+=("$t ($(join "${why[@]}"))")
		echo "    not ok $t: $(join "${why[@]}")"
	fi
}

# count_tap NAME CMD...: run CMD, print its output indented, count its TAP
# lines and hold it to its plan and exit status (the rules above).
count_tap() {
	local t=$1 line planned="" ran=0 nfail=0 rc bail="" why=() late=""
	shift
	"$@" 2>&1 | while IFS= read -r line; do
		echo "    $line"
		case "$line" in
		1..*)
			if [ -n "$planned" ]; then
				why+=("a second plan ($line)")
			elif [ "$ran" -gt 0 ]; then
				late=1
				planned=${line#1..}
			else
				planned=${line#1..}
			fi
			;;
		"not ok"*)
			ran=$((ran + 1))
			nfail=$((nfail + 1))
			fail=$((fail + 1))
			line=${line#not ok }
			failed+=("$t: ${line#[0-9]* - }")
			;;
		"ok "*)
			ran=$((ran + 1))
			# TAP's directive, after the name: "# SKIP why" (any case).
			if [[ ${line,,} =~ \#[[:space:]]*skip ]]; then
				skipped=$((skipped + 1))
			else
				pass=$((pass + 1))
			fi
			;;
		"Bail out!"*) bail=${line#Bail out!} ;;
		esac
	done
	rc=${PIPESTATUS[0]}
	[ -n "$bail" ] && why+=("bailed out:$bail")
	if [ -z "$planned" ]; then
		[ -z "$bail" ] && why+=("no plan (1..N)")
	elif ! [[ $planned =~ ^[0-9]+$ ]]; then
		why+=("a plan that is not a number (1..$planned)")
	else
		[ -n "$late" ] && why+=("the plan came after the first check")
		[ -z "$bail" ] && [ "$ran" -ne "$planned" ] &&
			why+=("planned $planned checks, ran $ran")
	fi
	if [ "$rc" -gt 128 ]; then
		why+=("killed by signal $((rc - 128)) ($(kill -l "$((rc - 128))" 2>/dev/null))")
	elif [ "$rc" -ne 0 ] &&
		! { [ "$rc" -eq 1 ] && { [ "$nfail" -gt 0 ] || [ -n "$bail" ]; }; }; then
		why+=("exit $rc")
	fi
	if [ ${#why[@]} -gt 0 ]; then
		fail=$((fail + 1))
		failed+=("$t ($(join "${why[@]}"))")
		echo "    not ok $t: $(join "${why[@]}")"
	fi
}

# step NAME CMD...: one check, passed when CMD exits 0.
step() {
	local t=$1 rc out
	shift
	"$@" 2>&1 | sed 's/^/    /' | tee "$tmp/step.out"
	rc=${PIPESTATUS[0]}
	if [ "$rc" -eq 0 ]; then
		pass=$((pass + 1))
		echo "    ok $t"
	else
		fail=$((fail + 1))
		# Name what failed inside it, when it says.
		out=$(sed -n 's/^    not ok //p' "$tmp/step.out" | head -5 | paste -sd';' | sed 's/;/; /g')
		failed+=("$t (exit $rc${out:+: $out})")
		echo "    not ok $t (exit $rc)"
	fi
}

timed() {
	local t0=$SECONDS what=$1
	shift
	"$@"
	echo "    # $what took $((SECONDS - t0)) s"
}

units=
scripts=
only=
while [ $# -gt 0 ]; do
	case $1 in
	--e2e-only | --unit-only | --steps-only) only=$1 ;;
	--scripts) scripts=${2:?--scripts DIR}; shift ;;
	--units) units=${2:?--units DIR}; shift ;;
	*) echo "usage: tests/run.sh [--e2e-only|--unit-only|--steps-only] [--scripts DIR] [--units DIR]" >&2
	   exit 2 ;;
	esac
	shift
done
tmp=$(mktemp -d /tmp/lwfuzz-run.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

if [ -n "$units$scripts" ]; then
	if [ -n "$units" ]; then
		[ -d "$units" ] && set -- "$units"/test_* || set -- "$units"
		for t; do
			[ -x "$t" ] || continue
			echo "unit: $t"
			count_unit "$t"
		done
	fi
	if [ -n "$scripts" ]; then
		[ -d "$scripts" ] && set -- "$scripts"/test_*.sh || set -- "$scripts"
		for t; do
			[ -e "$t" ] || continue
			echo "e2e: $t"
			timed "$t" count_tap "$t" bash "$t"
		done
	fi
else
	if [ -z "$only" ] || [ "$only" = --unit-only ]; then
		for src in tests/unit/test_*.c; do
			t=build/tests/$(basename "$src" .c)
			if [ -x "$t" ] && [ "$src" -nt "$t" ]; then
				echo "unit: $t"
				echo "    not ok $t: older than $src (make unit)"
				fail=$((fail + 1))
				failed+=("$t (older than $src: make unit)")
			elif [ -x "$t" ]; then
				echo "unit: $t"
				count_unit "$t"
			else
				echo "unit: $t"
				echo "    not ok $t: not built (make unit)"
				fail=$((fail + 1))
				failed+=("$t (not built: make unit)")
			fi
		done
	fi
	if [ -z "$only" ] || [ "$only" = --steps-only ]; then
		echo "step: lint"
		timed lint step lint scripts/static-check.sh
		echo "step: layout"
		timed layout step layout scripts/layout-check.sh
		echo "step: fuzz-regress"
		timed fuzz-regress count_tap scripts/fuzz-regress.sh scripts/fuzz-regress.sh
		echo "step: runner-selftest"
		timed runner-selftest step runner-selftest tests/runner-selftest.sh
	fi
	if [ -z "$only" ] || [ "$only" = --e2e-only ]; then
		for t in tests/e2e/test_*.sh; do
			echo "e2e: $t"
			timed "$t" count_tap "$t" bash "$t"
		done
	fi
fi
for f in "${failed[@]}"; do
	echo "FAILED: $f"
done
echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
