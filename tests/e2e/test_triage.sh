#!/bin/bash
# `lwfuzz triage` sorts findings by the known fix that makes them go away
# (kmod-patch/fixes), on the real kernel, 3 runs per variant.
#
# Four findings on `stock`, as a campaign files them (workload.lw and a
# `kernel` file naming the variant):
# - the log-commit race in log transactions 0 and 1
#   (corpus/crashes/logcommit-k{0,1}-delay.lw, 5 of 5 on stock in
#   test_logcommit.sh): both must reproduce on stock in 3 of 3 runs, show
#   in 0 of 3 on `stock-logfix` (stock plus kmod-patch 0006 alone) and be
#   labelled with the log-commit fix;
# - generic/764's bug (corpus/seeds/unlink-open-fsync.lw, upstream
#   5e85262e542d, which Debian's 6.1 lacks): it must reproduce on stock,
#   still fail on stock-logfix (the negative control: that fix variant ran
#   and a finding it does not fix stays) and show in 0 of 3 on
#   stock-unlinkfix (stock plus the port of 5e85262e542d), which labels it;
# - the O_SYNC direct-write race (corpus/crashes/osync-dio-presubmit-delay.lw,
#   docs/bugs/osync-dio-fsync-race.md), a stock bug no fix variant carries:
#   it must reproduce on stock, fail on every fix variant of stock and be
#   left unexplained, listed before the known ones.
# The exit status is 1 (one unexplained) and the summary counts 1
# unexplained, 3 known.
. "$(dirname "$0")/lib.sh"
plan 12

release=$("$LWFUZZ" kernels | sed -n 's/^series 6\.1: kernel release //p')
mk() { # mk NAME WORKLOAD: a finding of `stock` in $WORK/NAME
	mkdir -p "$WORK/$1"
	cp "$2" "$WORK/$1/workload.lw"
	printf 'stock %s\naccel tcg\n' "$release" >"$WORK/$1/kernel"
}
mk k0 corpus/crashes/logcommit-k0-delay.lw
mk k1 corpus/crashes/logcommit-k1-delay.lw
mk unlink corpus/seeds/unlink-open-fsync.lw
mk osync corpus/crashes/osync-dio-presubmit-delay.lw

out=$("$LWFUZZ" triage -n 3 "$WORK/k0" "$WORK/k1" "$WORK/unlink" \
	"$WORK/osync" 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
class() { sed -n 's/.*"class": "\([a-z]*\)".*/\1/p' "$WORK/$1/triage.json"; }
label() { sed -n 's/.*"label": \(.*\),$/\1/p' "$WORK/$1/triage.json"; }
via() { sed -n 's/.*"via": "\(.*\)",$/\1/p' "$WORK/$1/triage.json"; }
failed() { # failed NAME VARIANT: that variant's failed runs in triage.json
	tr -d '\n' <"$WORK/$1/triage.json" |
		grep -o "\"variant\": \"$2\", \"failed\": [0-9]*" | grep -o '[0-9]*$'
}

for f in k0 k1; do
	check "$f: reproduces on stock (3 of 3) and not on stock-logfix (0 of 3)" \
		test "$(failed $f stock)/$(failed $f stock-logfix)" = 3/0
	check "$f: labelled with the log-commit fix, found gone on stock-logfix" \
		test "$(class $f)/$(label $f | grep -o 'log-commit race')/$(via $f)" = \
		known/"log-commit race"/stock-logfix
done
check "unlink: reproduces on stock and still fails on stock-logfix" \
	bash -c "test '$(failed unlink stock)' -ge 1 && test '$(failed unlink stock-logfix)' -ge 1"
check "unlink: gone on stock-unlinkfix (0 of 3)" \
	test "$(failed unlink stock-unlinkfix)" = 0
check "unlink: labelled with upstream 5e85262e542d, found gone on stock-unlinkfix" \
	test "$(class unlink)/$(label unlink | grep -o '5e85262e542d')/$(via unlink)" = \
	known/5e85262e542d/stock-unlinkfix
# Every fix variant of stock ran it and it stayed.
tried=$(for v in stock stock-logfix stock-unlinkfix stock-newnamefix; do
	n=$(failed osync $v)
	test "${n:-0}" -ge 1 && echo "$v"
done | wc -l)
check "osync: reproduces on stock and on each of its 3 fix variants" \
	test "$tried" = 4
check "osync: unexplained, no label" \
	test "$(class osync)/$(label osync)" = unexplained/null
first=$(grep -E -m1 '^triage: (unexplained|known)' <<<"$out")
check "the unexplained finding is listed before the known ones" \
	grep -q '^triage: unexplained' <<<"$first"
check "summary: 1 unexplained, 3 known" \
	grep -q '^triage: 4 finding(s): 1 unexplained, 0 not reproduced, 3 known (log-commit race: 2, upstream fix 5e85262e542d: 1)' <<<"$out"
check "exit 1: some finding is unexplained (exit $rc)" test "$rc" = 1
