#!/bin/bash
# The "nevers" of docs/architecture.md, checked from the includes: each
# part may include only the parts listed for it. Usage: layout-check.sh
# [TREE] (default: this checkout). A line per breach, and
# the count; exit 1 on any breach.
set -u
cd "${1:-$(dirname "$0")/..}"

# part: the parts its files may include (itself always).
declare -A may=(
	[lib]=""
	[replay]="lib"
	[guest]="lib replay"
	[setup]="lib"
	[vm]="lib setup"
	[fuzzer]="lib setup vm"
	[cmds]="lib setup vm fuzzer"
)
breaches=0
files=0
for part in "${!may[@]}"; do
	for f in "$part"/*.c "$part"/*.h; do
		[ -e "$f" ] || continue
		files=$((files + 1))
		while IFS=: read -r line inc; do
			dep=${inc%%/*}
			[ "$dep" = "$inc" ] && {
				echo "$f:$line: includes \"$inc\" without its part (write \"part/name.h\")"
				breaches=$((breaches + 1))
				continue
			}
			[ "$dep" = "$part" ] && continue
			case " ${may[$part]} " in
			*" $dep "*) ;;
			*)
				echo "$f:$line: $part/ includes $inc: $part/ may include only ${may[$part]:-nothing but itself}${may[$part]:+ and itself}"
				breaches=$((breaches + 1))
				;;
			esac
		done < <(grep -n '^#include "' "$f" |
			 sed 's/^\([0-9]*\):#include "\([^"]*\)".*/\1:\2/')
	done
done
# No command calls another: a command is argv -> options -> one library
# call; what two commands share lives in a part.
for f in cmds/cmd_*.c; do
	self=$(basename "$f" .c)
	while IFS= read -r hit; do
		echo "$f:${hit%%:*}: calls ${hit#*:} (a command calls no other command)"
		breaches=$((breaches + 1))
	done < <(grep -no '\bcmd_[a-z_]*(' "$f" | grep -v ":$self(" |
		 sed 's/($//')
done
# Each JSON contract has one owner that parses it: the replay report
# (lib/report.c) and a run's result (lib/run_result.c).
owners='^lib/\(report\|run_result\)\.c$'
while IFS= read -r hit; do
	echo "$hit: parses JSON outside its owner (lib/report.h, lib/run_result.h)"
	breaches=$((breaches + 1))
done < <(grep -n 'json_tokener\|json_object_from\|json_object_object_get' \
	 $(ls */*.c | grep -v "$owners" | grep -v '^tests/') 2>/dev/null)
if [ "$breaches" -ne 0 ]; then
	echo "layout: $breaches breaches of docs/architecture.md in $files files"
	exit 1
fi
echo "layout: $files files keep the rules of docs/architecture.md"
