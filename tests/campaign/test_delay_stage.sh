#!/bin/bash
# The delay stage finds the seed race without being told where it is. The
# one seed is corpus/seeds/prealloc-race.lw with the knob at 0 (-d 0): it
# is clean on buggy by itself (0 of 20 runs, test_delay.sh). Its seed run
# shows two threads running btrfs code after their barrier, so its delay
# stage (docs/fuzzing.md) stops each at each function only it ran, one per
# execution, 200 ms at the first entry; so do the stages of the racing
# entries the campaign keeps (the seed's forks of its durability points).
# On buggy the campaign must file a missing-csum finding within 10 minutes
# whose workload carries the one delay that made it, right after a
# barrier. Measured: 2026-12-03, 2 min 32 s, 130 executions (the writer
# stopped at btrfs_add_ordered_extent, the seed's stage's 53rd mutant);
# 2026-12-04 with forks napping and persisted first and stages coarse to
# fine in turns, 87 s, 63 executions (the seed's fork of its first fsync,
# a third thread fsyncing 50 ms into the fallocate and the first direct
# write, thread 0 stopped at btrfs_add_ordered_extent after its barrier).
# The same campaign on fixed, for at least as long and at least as many
# executions as buggy needed and never fewer than the stage's (about
# 120 mutants), must file no missing-csum finding: the fix closes the window
# the delay holds open. The seed without delays is clean on buggy
# (test_delay.sh measures that rate).
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/../../scripts/campaign-out.sh"
plan 7

seeds=$WORK/seeds
mkdir -p "$seeds"
cp corpus/seeds/prealloc-race.lw "$seeds/"

campaign_run buggy -k buggy -d 0 -t 10m --stop-on missing-csum \
	--no-minimize --no-record -c "$seeds"
rc=$CAMPAIGN_RC qemu=$CAMPAIGN_QEMU took=$CAMPAIGN_SECS bexecs=$CAMPAIGN_EXECS
check "delay-stage: the seed is clean on buggy with the knob at 0" \
	grep -q 'seed prealloc-race.bin: clean' "$WORK/buggy.txt"
check "delay-stage: buggy files a missing-csum finding within 10 minutes (${took} s)" \
	bash -c "test $rc = 1 && grep -l '^missing-csum\|+missing-csum' '$WORK'/buggy/findings/*/signature >/dev/null"
finding=$(dirname "$(grep -l '^missing-csum\|+missing-csum' "$WORK"/buggy/findings/*/signature 2>/dev/null | head -1)")
sed 's/^/# /' "$finding/workload.lw" 2>/dev/null
check "delay-stage: the finding's workload has one delay, 200 ms at hit 1, right after a barrier" \
	bash -c "test \$(grep -c '	delay ' '$finding/workload.lw') = 1 &&
		 grep -B1 '	delay ' '$finding/workload.lw' | head -1 | grep -q '	barrier ' &&
		 grep -qE '	delay [a-z_0-9]+ 200ms\$' '$finding/workload.lw'"
check "delay-stage: AFL++ kept entries the delay stage made" \
	bash -c "ls '$WORK'/buggy/afl/main/queue | grep -q lwfuzz-delay-stage"
check "delay-stage: no QEMU left (the campaign's QEMU ran: ${qemu:-none seen})" qemu_gone "$qemu"

secs=$((took < 300 ? 300 : took))
campaign_run fixed -k fixed -d 0 -t ${secs}s --no-minimize --no-record \
	-c "$seeds"
rc=$CAMPAIGN_RC fexecs=$CAMPAIGN_EXECS
min=$((bexecs > 120 ? bexecs : 120))
check "delay-stage: the fixed campaign ran its delay stage (exit $rc: 0 or 1; $fexecs executions, at least $min)" \
	test "$rc" -le 1 -a "$fexecs" -ge "$min"
check "delay-stage: fixed files no missing-csum finding in ${secs} s" \
	bash -c "! grep -l 'missing-csum' '$WORK'/fixed/findings/*/signature 2>/dev/null"
