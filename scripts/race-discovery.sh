#!/bin/bash
# `make race-discovery`: does a campaign find the seed race without being
# told where it is? A benchmark, not a test. RUNS campaigns (3) on `buggy`
# and RUNS on `fixed`, each for up to MINUTES (30), with the knob at 0
# (no dio_race_delay_ms), from corpus/seeds without every seed whose name
# says prealloc or race. Only btrfs coverage and the mutator's delay plans
# can lead a campaign to the race. A buggy campaign stops at its first
# missing-csum finding; a fixed campaign runs its whole time and must file
# none. Prints a table per campaign (time to the first missing-csum
# finding, executions, btrfs edges at the end) and the medians; writes it
# to OUT/table.txt too. VARIANTS="buggy" runs one side only.
#   scripts/race-discovery.sh   (RUNS, MINUTES, VARIANTS, RACE_OUT from env)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
. scripts/campaign-out.sh
LWFUZZ=${LWFUZZ:-bin/lwfuzz}
runs=${RUNS:-3}
minutes=${MINUTES:-30}
out=${RACE_OUT:-race-discovery-out}
read -r -a variants <<<"${VARIANTS:-buggy fixed}"

if [ -e "$out" ]; then
	echo "race-discovery: $out exists; move it away or set RACE_OUT" >&2
	exit 2
fi
mkdir -p "$out/seeds"
for s in corpus/seeds/*.lw; do
	case ${s##*/} in
	*prealloc* | *race*) ;;
	*) cp "$s" "$out/seeds/" ;;
	esac
done
echo "race-discovery: $(ls "$out/seeds" | wc -l) seeds (no prealloc or race seed), knob 0, $runs campaigns of up to $minutes min per variant"

# campaign VARIANT K: one campaign; prints "VARIANT|K|found-at|execs|edges|
# missing-csum findings".
campaign() {
	local v=$1 k=$2 camp=$out/$1-$2 t0 at=- stop=() line
	[ "$v" = buggy ] && stop=(--stop-on missing-csum)
	t0=$(date +%s)
	while IFS= read -r line; do
		echo "$line" >>"$camp.txt"
		case $line in
		"fuzz: new finding"*missing-csum*)
			[ "$at" = - ] && at=$(($(date +%s) - t0))
			echo "race-discovery: $v #$k: ${line#fuzz: } at $((at / 60))m$((at % 60))s" >&2
			;;
		esac
	done < <("$LWFUZZ" fuzz -k "$v" -d 0 -t "${minutes}m" -c "$out/seeds" \
		-o "$camp" --no-minimize --no-record "${stop[@]}" 2>&1)
	local n
	n=$(grep -l '^missing-csum\|+missing-csum' "$camp"/findings/*/signature 2>/dev/null | wc -l)
	echo "$v|$k|$at|$(campaign_executions "$camp")|$(campaign_edges "$camp")|$n"
}

median() {
	sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print "-" }'
}

rows=()
for k in $(seq 1 "$runs"); do
	for v in "${variants[@]}"; do
		echo "race-discovery: $v campaign $k of $runs" >&2
		rows+=("$(campaign "$v" "$k")")
	done
done

{
	printf '| variant | campaign | first missing-csum | executions | btrfs edges at end | missing-csum findings |\n'
	printf '| --- | --- | --- | --- | --- | --- |\n'
	for r in "${rows[@]}"; do
		IFS='|' read -r v k at ex ed n <<<"$r"
		[ "$at" != - ] && at="$((at / 60))m$((at % 60))s"
		[ "$at" = - ] && [ "$v" = buggy ] && at="not in ${minutes}m"
		printf '| %s | %s | %s | %s | %s | %s |\n' "$v" "$k" "$at" "$ex" "$ed" "$n"
	done
	# fixed must find nothing: its line is the findings, not a time.
	n=$(for r in "${rows[@]}"; do
		IFS='|' read -r rv _ _ _ _ c <<<"$r"
		[ "$rv" = fixed ] && echo "$c"
	done | awk '{ s += $1 } END { print s + 0 }')
	case " ${variants[*]} " in
	*" fixed "*) printf 'fixed: %s missing-csum finding(s) in all its campaigns (must be 0)\n' "$n" ;;
	esac
	for v in "${variants[@]}"; do
		# A campaign that did not find counts as the full time: a median
		# above MINUTES means "not found" in most campaigns.
		m=$(for r in "${rows[@]}"; do
			IFS='|' read -r rv _ at _ _ _ <<<"$r"
			[ "$rv" = "$v" ] || continue
			[ "$at" = - ] && at=$((minutes * 60 + 1))
			echo "$at"
		done | median)
		e=$(for r in "${rows[@]}"; do
			IFS='|' read -r rv _ _ _ ed _ <<<"$r"
			[ "$rv" = "$v" ] && echo "$ed"
		done | median)
		if [ "$m" -gt $((minutes * 60)) ]; then
			m="not in ${minutes}m"
		else
			m="$((m / 60))m$((m % 60))s"
		fi
		if [ "$v" = fixed ]; then
			printf 'median fixed: btrfs edges at end %s\n' "$e"
		else
			printf 'median buggy: first missing-csum %s, btrfs edges at end %s\n' "$m" "$e"
		fi
	done
} | tee "$out/table.txt"
