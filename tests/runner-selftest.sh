#!/bin/bash
# The test runner held to its rules (`make runner-selftest`, a step of
# tests/run.sh): the real tests/run.sh, told to run the fixtures of
# tests/runner-selftest/ (--scripts, --units), must count a crash, an exit
# 3 after every check passed, a short plan, a missing plan and a bail-out
# as failures, a skip as skipped, a good script as passed, and a fake
# cmocka binary's bad exit or short counts as failures; and tests/e2e/lib.sh
# must exit non-zero when a check failed or the plan was not kept.
cd "$(dirname "$0")/.." || exit 2
. tests/e2e/lib.sh
fx=tests/runner-selftest
plan 16

# expect NAME SUMMARY RC PATTERN... (after runner ARGS): the runner's last
# line is SUMMARY, its exit status RC, and its output has a line matching
# each extended regex PATTERN ("!PATTERN": none matches).
runner() {
	out=$(tests/run.sh "$@" 2>&1)
	rc=$?
}
expect() {
	local name=$1 summary=$2 want=$3 pat why=()
	shift 3
	[ "$(tail -1 <<<"$out")" = "$summary" ] ||
		why+=("summary \"$(tail -1 <<<"$out")\", not \"$summary\"")
	[ "$rc" = "$want" ] || why+=("runner exit $rc, not $want")
	for pat; do
		case $pat in
		!*) ! grep -qE -- "${pat#!}" <<<"$out" || why+=("a line matches ${pat#!}") ;;
		*) grep -qE -- "$pat" <<<"$out" || why+=("no line matches $pat") ;;
		esac
	done
	if [ ${#why[@]} = 0 ]; then
		ok "$name"
	else
		not_ok "$name"
		printf '# %s\n' "${why[@]}"
		sed 's/^/#   /' <<<"$out"
	fi
}

runner --scripts $fx/test_good.sh
expect "runner: a script that keeps its plan and exits 0 passes" \
	"2 passed, 0 failed, 0 skipped" 0 '!^FAILED'
runner --scripts $fx/test_crash.sh
expect "runner: ok then a crash (SIGSEGV) is a failure" \
	"1 passed, 1 failed, 0 skipped" 1 '^FAILED: .*test_crash.sh \(killed by signal 11'
runner --scripts $fx/test_exit3.sh
expect "runner: every check ok then exit 3 is a failure" \
	"2 passed, 1 failed, 0 skipped" 1 '^FAILED: .*test_exit3.sh \(exit 3\)'
runner --scripts $fx/test_short.sh
expect "runner: a plan of 3 with 2 checks run (exit 0) is a failure" \
	"2 passed, 1 failed, 0 skipped" 1 '^FAILED: .*test_short.sh \(planned 3 checks, ran 2\)'
runner --scripts $fx/test_noplan.sh
expect "runner: no plan (exit 0) is a failure" \
	"2 passed, 1 failed, 0 skipped" 1 '^FAILED: .*test_noplan.sh \(no plan'
runner --scripts $fx/test_skip.sh
expect "runner: a skip is shown and counted skipped, not passed" \
	"1 passed, 0 failed, 1 skipped" 0 '^    ok skip: second # SKIP the fixture says so$' '!^FAILED'
runner --scripts $fx/test_notok.sh
expect "runner: a not ok is one failure, named, with check's diagnostics shown" \
	"1 passed, 1 failed, 0 skipped" 1 '^FAILED: .*test_notok.sh: notok: second$' \
	'# notok: the diagnostics of a failed check' '!^FAILED: .*test_notok.sh \('
runner --scripts $fx/test_bail.sh
expect "runner: a bail-out is one failure, with its reason" \
	"1 passed, 1 failed, 0 skipped" 1 '^FAILED: .*test_bail.sh \(bailed out: the fixture cannot go on\)$'
runner --scripts $fx
expect "runner: all the fixture scripts: the summary adds them up" \
	"12 passed, 6 failed, 1 skipped" 1
n=$(grep -c '^FAILED: ' <<<"$out")
check "runner: ... one FAILED line per failure (6, got $n)" test "$n" = 6

runner --units $fx/units/test_unit_good
expect "runner: unit: a cmocka skip is shown and counted skipped" \
	"1 passed, 0 failed, 1 skipped" 0 '^    \[  SKIPPED \] second$' '!^FAILED'
runner --units $fx/units/test_unit_exit
expect "runner: unit: all passed then exit 1 with no FAILED count is a failure" \
	"2 passed, 1 failed, 0 skipped" 1 '^FAILED: .*test_unit_exit \(exit 1'
runner --units $fx/units/test_unit_short
expect "runner: unit: 3 tests started, 2 counted is a failure" \
	"1 passed, 1 failed, 1 skipped" 1 '^FAILED: .*test_unit_short \(cmocka started 3 tests but counted 1 passed, 0 failed, 1 skipped\)'
runner --units $fx/units/test_unit_failed
expect "runner: unit: a failed test is one failure, named (its exit 1 says so)" \
	"1 passed, 1 failed, 0 skipped" 1 '^FAILED: .*test_unit_failed: second$' '!^FAILED: .*test_unit_failed \('
runner --units $fx/units
expect "runner: unit: all the fake binaries: the summary adds them up" \
	"5 passed, 3 failed, 2 skipped" 1

# lib.sh itself: the exit status of a script follows its checks and plan.
lib_rcs=
for body in 'plan 1; ok a' 'plan 1; skip a why' 'plan 1; not_ok a' 'plan 2; ok a' \
	'ok a' 'plan 1; ok a; exit 3' 'plan 1; check a false; true' \
	'plan 1; check a qemu_gone ""'; do
	printf '. %s/tests/e2e/lib.sh\n%s\n' "$PWD" "$body" >"$WORK/lib_case.sh"
	(cd "$WORK" && bash lib_case.sh >/dev/null 2>&1)
	lib_rcs+=$?
done
check "lib.sh: exits 0 when its checks pass or skip, 1 on a failed check, a short or missing plan, 3 when told, 1 on \"no QEMU left\" with no QEMU seen ($lib_rcs)" \
	test "$lib_rcs" = 00111311
