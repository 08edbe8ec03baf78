#!/bin/sh
# Runs in the guest: every workload in /in (*.lw) once through the agent,
# each on a fresh btrfs over dm-log-writes on $LWFUZZ_DISK0..3, one VM for
# all of them. Prints "SEED name rc=N" after each agent's own output.
for w in /in/*.lw; do
	name=$(basename "$w" .lw)
	lwfuzz-agent run --workload "$w" --data "$LWFUZZ_DISK0" \
		--log "$LWFUZZ_DISK1" --target "$LWFUZZ_DISK2" \
		--cow "$LWFUZZ_DISK3" --out "/out/$name" --runs 1 --timeout 60
	echo "SEED $name rc=$?"
done
