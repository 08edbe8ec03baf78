#!/bin/bash
# `make soak [SOAK_MINUTES=30] [SOAK_KERNEL=stock]`: one campaign for the
# given time, with memory watched: the host RSS of lwfuzz, afl-fuzz and
# QEMU and the guest's MemAvailable at the start and at the end, then the
# executions, restarts and findings. Memory must stay flat (the script
# says so when the end exceeds the start by more than 20 %).
# The campaign's own exit status counts too: 0 (clean) and 1 (findings)
# are fine for a soak, which is about lasting, not about the kernel; 2 (an
# error, a hang of lwfuzz itself) or a crash (killed by a signal) fails it.
set -uo pipefail
cd "$(dirname "$0")/.."
mins=${1:-30}
kernel=${2:-stock}
out=${SOAK_OUT:-$(mktemp -d /tmp/lwfuzz-soak.XXXXXX)}/campaign
bin/lwfuzz fuzz -k "$kernel" -t "${mins}m" --no-minimize --no-record \
	-o "$out" >"$out.log" 2>&1 &
pid=$!

rss() { # the summed RSS in kB of processes matching $1 under this campaign
	ps -eo rss=,args= | awk -v pat="$1" -v dir="$out" \
		'index($0, pat) && index($0, dir) { s += $1 } END { print s + 0 }'
}
sample() {
	echo "$1: lwfuzz $(rss 'lwfuzz fuzz') kB, afl-fuzz $(rss afl-fuzz) kB, qemu $(rss qemu-system) kB, guest MemAvailable $(grep -o 'MemAvailable [0-9]*' "$out"/vm-0.txt 2>/dev/null | tail -1 | cut -d' ' -f2) kB"
}
sleep 120
start=$(sample "soak: start (2 min)")
echo "$start"
sleep $((mins * 60 - 150))
end=$(sample "soak: end ($((mins - 1)) min)")
echo "$end"
wait $pid
crc=$?
grep -E 'elapsed' "$out.log" | tail -1 | sed 's/^/soak: /'
echo "soak: findings: $(ls "$out/findings" | wc -l) in $out/findings"
grep -E 'new finding' "$out.log" | sed 's/^/soak: /'
s=$(sed 's/.*lwfuzz \([0-9]*\) kB.*/\1/' <<<"$start")
e=$(sed 's/.*lwfuzz \([0-9]*\) kB.*/\1/' <<<"$end")
rc=0
case $crc in
0) echo "soak: the campaign ended clean (exit 0)" ;;
1) echo "soak: the campaign ended with findings (exit 1: fine for a soak)" ;;
*)
	if [ "$crc" -gt 128 ]; then
		echo "soak: the campaign crashed (killed by signal $((crc - 128)); exit $crc); its log: $out.log"
	else
		echo "soak: the campaign failed (exit $crc); its log: $out.log"
	fi
	tail -5 "$out.log" | sed 's/^/soak:   /'
	rc=1
	;;
esac
if [ "$e" -gt $((s * 12 / 10 + 1024)) ]; then
	echo "soak: lwfuzz grew from $s to $e kB"
	rc=1
else
	echo "soak: host memory flat (lwfuzz $s -> $e kB)"
fi
exit $rc
