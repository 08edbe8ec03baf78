#!/bin/bash
# The test runner of `make check`: unit tests (cmocka, under valgrind so a
# memory error fails them), then the end-to-end tests, which boot the real
# kernels in QEMU. Ends with the line "N passed, N failed".
#   tests/run.sh              everything
#   tests/run.sh --e2e-only   only the end-to-end tests
#   tests/run.sh --unit-only  only the unit tests
set -u
cd "$(dirname "$0")/.."
pass=0
fail=0
failed=()

count_unit() {
	local t=$1 out rc p f
	out=$(valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite "$t" 2>&1)
	rc=$?
	echo "$out" | grep -E '^\[ *(PASSED|FAILED|  OK|  FAILED) *\]|ERROR SUMMARY|==[0-9]+==' | sed 's/^/    /'
	p=$(echo "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p')
	f=$(echo "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p')
	pass=$((pass + ${p:-0}))
	fail=$((fail + ${f:-0}))
	# valgrind errors or a crash with no cmocka verdict still fail.
	if [ "$rc" -ne 0 ] && [ -z "$f" ]; then
		fail=$((fail + 1))
		failed+=("$t (exit $rc)")
	elif [ -n "$f" ]; then
		failed+=("$t")
	fi
}

run_e2e() {
	local t=$1 line
	while IFS= read -r line; do
		echo "    $line"
		case "$line" in
		"ok "*) pass=$((pass + 1)) ;;
		"not ok "*)
			fail=$((fail + 1))
			failed+=("${line#not ok }")
			;;
		esac
	done < <(bash "$t" 2>&1)
}

mode=${1:-all}
if [ "$mode" != --e2e-only ]; then
	for t in build/tests/test_*; do
		[ -x "$t" ] || continue
		echo "unit: $t"
		count_unit "$t"
	done
fi
if [ "$mode" != --unit-only ]; then
	for t in tests/e2e/test_*.sh; do
		echo "e2e: $t"
		t0=$SECONDS
		run_e2e "$t"
		echo "    # $t took $((SECONDS - t0)) s"
	done
fi
for f in "${failed[@]}"; do
	echo "FAILED: $f"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
