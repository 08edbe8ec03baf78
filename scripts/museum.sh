#!/bin/bash
# `make museum`: how long lwfuzz takes to find each bug of the museum — a
# benchmark, not a test. For each museum variant of kmod-patch/variants
# (stock with one upstream btrfs fix reverted), a campaign runs from
# corpus/seeds without the seed modeled on that bug's fstests test (the
# seed whose comment says "museum-NNN reopens") and without the two seeds
# that fail on stock itself, until it files a finding that reproduces on
# the museum variant and not on stock (3 of 3 runs against 0 of 3), or for
# MUSEUM_MINUTES (20). Prints a table: bug, time to find, executions,
# signature; writes it to museum-out/table.txt too.
#   scripts/museum.sh [VARIANT...]     (default: every museum variant)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
. scripts/campaign-out.sh
LWFUZZ=${LWFUZZ:-bin/lwfuzz}
minutes=${MUSEUM_MINUTES:-20}
out=${MUSEUM_OUT:-museum-out}
runs=3

variants=("$@")
[ ${#variants[@]} = 0 ] &&
	mapfile -t variants < <(awk '$1 ~ /^museum-/ { print $1 }' kmod-patch/variants)
if [ ${#variants[@]} = 0 ]; then
	echo "museum: no museum variants in kmod-patch/variants" >&2
	exit 2
fi
if [ -e "$out" ]; then
	echo "museum: $out exists; move it away or set MUSEUM_OUT" >&2
	exit 2
fi
mkdir -p "$out"

# fails VARIANT WORKLOAD: in how many of $runs runs a check failed. The
# run's exit status (1 on a finding) is not this function's: read its line.
fails() {
	local out n
	out=$("$LWFUZZ" run -k "$1" -n $runs "$2" 2>&1)
	n=$(sed -n 's/^run: a check failed in \([0-9]*\) of.*/\1/p' <<<"$out" | tail -1)
	echo "${n:-0}"
}

rows=()
for v in "${variants[@]}"; do
	own=$(grep -l "($v reopens" corpus/seeds/*.lw | head -1)
	test=$(sed -n "s/^# \\([a-z]*\\/[0-9]*\\).*/\\1/p" "$own" 2>/dev/null | head -1)
	seeds=$out/$v/seeds
	mkdir -p "$seeds"
	for s in corpus/seeds/*.lw; do
		case $s in
		"$own" | */unlink-open-fsync.lw | */symlink-renamed-logged.lw) ;;
		*) cp "$s" "$seeds/" ;;
		esac
	done
	echo "museum: $v (${test:-?}): campaign of up to $minutes min from $(ls "$seeds" | wc -l) seeds, without ${own:-no seed}"
	camp=$out/$v/campaign
	spent=0 found= sig= at= resume=()
	declare -A seen=()
	while [ -z "$found" ] && [ $spent -lt $((minutes * 60)) ]; do
		t0=$(date +%s)
		"$LWFUZZ" fuzz -k "$v" -t $((minutes * 60 - spent))s -c "$seeds" \
			-o "$camp" -x --no-minimize "${resume[@]}" \
			>>"$out/$v/fuzz.txt" 2>&1
		spent=$((spent + $(date +%s) - t0))
		resume=(--resume)
		for f in "$camp"/findings/*/; do
			[ -d "$f" ] && [ -z "${seen[$f]:-}" ] || continue
			seen[$f]=1
			a=$(fails "$v" "$f/workload.lw")
			b=$(fails stock "$f/workload.lw")
			echo "museum: $v: $(cat "$f/signature"): $a of $runs on $v, $b of $runs on stock"
			if [ "$a" = $runs ] && [ "$b" = 0 ]; then
				found=$f
				sig=$(cat "$f/signature")
				at=$spent
				break
			fi
		done
	done
	if [ -n "$found" ]; then
		rows+=("$v|${test:-?}|$((at / 60))m$((at % 60))s|$(campaign_executions "$camp")|$sig")
	else
		rows+=("$v|${test:-?}|not in ${minutes}m|$(campaign_executions "$camp")|-")
	fi
done

{
	printf '| bug | fstests | time to find | executions | signature |\n'
	printf '| --- | --- | --- | --- | --- |\n'
	for r in "${rows[@]}"; do
		IFS='|' read -r v t time ex sig <<<"$r"
		printf '| %s | %s | %s | %s | %s |\n' "$v" "$t" "$time" "$ex" "$sig"
	done
} | tee "$out/table.txt"
