#!/bin/sh
# Runs in the guest for scripts/bench-replay.sh: lwfuzz's replayer on the
# big log (default checks, then without shared mounts, then with --fsck)
# and on the small log (for peak memory), then the reference loop on the
# big log; `guest_bench.sh coverage`: the default replay alone (in a guest
# whose btrfs has coverage, the path before replay-only guests).
# Disks: 0 big log, 1 small log, 2 target, 3 cow.
set -e
run() {
	name=$1
	shift
	t0=$(cut -d' ' -f1 /proc/uptime)
	lwfuzz-agent replay --target "$LWFUZZ_DISK2" --cow "$LWFUZZ_DISK3" "$@" \
		>/tmp/out.txt || [ $? = 1 ]
	t1=$(cut -d' ' -f1 /proc/uptime)
	pts=$(sed -n 's/.*: \([0-9]*\) of [0-9]* crash points checked.*/\1/p' /tmp/out.txt)
	mem=$(sed -n 's/^replay: peak memory \([0-9]*\) KiB/\1/p' /tmp/out.txt)
	verdict=$(sed -n 's/^replay: \([A-Z]*\): .*/\1/p' /tmp/out.txt)
	echo "bench: $name points $pts seconds $(echo "$t1 - $t0" | bc) peak_kib $mem verdict $verdict"
}
if [ "$1" = coverage ]; then
	# The path before replay-only guests: btrfs with coverage.
	run lwfuzz-coverage-btrfs --log "$LWFUZZ_DISK0"
	exit 0
fi
run lwfuzz --log "$LWFUZZ_DISK0"
run lwfuzz-no-share --log "$LWFUZZ_DISK0" --no-share
run lwfuzz-fua-fsck --log "$LWFUZZ_DISK0" --points fua --fsck
run lwfuzz-small --log "$LWFUZZ_DISK1"
sh /in/guest_reference.sh "$LWFUZZ_DISK0" "$LWFUZZ_DISK2" "$LWFUZZ_DISK3"
