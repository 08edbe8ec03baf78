#!/bin/bash
# What makes an execution cheaper must not change a verdict (issue 14):
# - templates: the first run of a VM runs mkfs.btrfs through
#   dm-log-writes; later runs with the same mkfs arguments write that
#   file system onto the data device instead ("no mkfs" in their output)
#   and replay from a target that holds it. The log-commit reproducer
#   (corpus/crashes/logcommit-k0-delay.lw, 5 of 5 on stock in
#   test_logcommit.sh) must fail in 3 of 3 runs with the template as with
#   mkfs (--no-template, the negative control: it prints no "no mkfs"),
#   at the same log entry; the log a template run saves must be whole:
#   `lwfuzz replay` of it gives the run's own report;
# - shared mounts: a crash point with the previous point's contents is
#   checked on that point's mount (promises anew). Replaying the saved log
#   with and without sharing (--no-share) must give the same report, and
#   sharing must have happened (points shared > 0; 0 with --no-share).
. "$(dirname "$0")/lib.sh"
plan 9

wl=corpus/crashes/logcommit-k0-delay.lw
"$LWFUZZ" run -k stock -n 3 -o "$WORK/tpl" "$wl" >"$WORK/tpl.txt" 2>&1
"$LWFUZZ" run -k stock -n 3 --no-template -o "$WORK/mkfs" "$wl" >"$WORK/mkfs.txt" 2>&1
ft=$(sed -n 's/^run: a check failed in \([0-9]*\) of.*/\1/p' "$WORK/tpl.txt")
fm=$(sed -n 's/^run: a check failed in \([0-9]*\) of.*/\1/p' "$WORK/mkfs.txt")
echo "# template: ${ft:-?} of 3 failed; mkfs: ${fm:-?} of 3 failed"
grep -E '^run [0-9]/3: (no mkfs|CLEAN|CORRUPT)' "$WORK/tpl.txt" | sed 's/^/# /'
check "runs 2 and 3 use the template, run 1 runs mkfs" \
	test "$(grep -c '^run [23]/3: no mkfs' "$WORK/tpl.txt")/$(grep -c '^run 1/3: no mkfs' "$WORK/tpl.txt")" = 2/0
check "--no-template runs mkfs every run" \
	test "$(grep -c 'no mkfs' "$WORK/mkfs.txt")" = 0
check "the reproducer fails in 3 of 3 runs either way" test "${ft:-x}/${fm:-x}" = 3/3
entries() { grep -o 'log entry [0-9]*' "$1" | sort -u | tr '\n' ' '; }
check "... at the same log entry ($(entries "$WORK/tpl.txt"))" \
	test "$(entries "$WORK/tpl.txt")" = "$(entries "$WORK/mkfs.txt")"

log=$WORK/tpl/run-2/log.img
"$LWFUZZ" replay -j "$WORK/r-share.json" "$log" >"$WORK/r-share.txt" 2>&1
"$LWFUZZ" replay --no-share -j "$WORK/r-noshare.json" "$log" >"$WORK/r-noshare.txt" 2>&1
# Reports without their timing and the log's path.
norm() { tr ',' '\n' <"$1" | grep -v -e '"seconds"' -e '"log"'; }
mkfs_at() { "$LWFUZZ" log "$1" | awk '$NF == "mkfs" { print $1; exit }'; }
m1=$(mkfs_at "$WORK/tpl/run-1/log.img")
m2=$(mkfs_at "$log")
echo "# the mkfs mark: entry ${m1:-?} of run 1's log (mkfs), ${m2:-?} of run 2's (template)"
check "run 2's saved log has mkfs's entries and mark where run 1's has them" \
	test -n "$m1" -a "$m1" = "$m2"
check "replaying the saved log gives run 2's own report" \
	diff <(norm "$WORK/tpl/run-2/report.json") <(norm "$WORK/r-share.json")
check "replaying it with --no-share gives the same report" \
	diff <(norm "$WORK/r-share.json") <(norm "$WORK/r-noshare.json")
shared=$(sed -n 's/^replay: \([0-9]*\) of [0-9]* crash points had.*/\1/p' "$WORK/r-share.txt")
noshared=$(sed -n 's/^replay: \([0-9]*\) of [0-9]* crash points had.*/\1/p' "$WORK/r-noshare.txt")
echo "# crash points on a shared mount: ${shared:-?} (--no-share: ${noshared:-?})"
check "sharing happened: points on a shared mount > 0" test "${shared:-0}" -gt 0
check "... and none with --no-share" test "${noshared:-x}" = 0
