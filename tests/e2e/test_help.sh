#!/bin/bash
# Every subcommand's --help names every long option its parser takes (the
# longopts tables in cmds/cmd_*.c), and no option it does not take: a
# renamed or forgotten option shows up here. Runs the real binary; no VM.
. "$(dirname "$0")/lib.sh"

# One check per command with a table of long options.
srcs=$(grep -l 'static const struct option' cmds/cmd_*.c)
plan "$(wc -w <<<"$srcs")"

for src in $srcs; do
	cmd=${src#cmds/cmd_}
	cmd=${cmd%.c}
	[ "$cmd" = export ] && cmd=export-fstests
	help=$("$LWFUZZ" "$cmd" --help 2>&1)
	rc=$?
	taken=$(sed -n '/static const struct option/,/};/s/.*{ "\([a-z-]*\)".*/\1/p' "$src" | sort -u)
	# The option lines: "  -k, --kernel V" or "      --no-record".
	shown=$(grep -oE -- '^ +(-[a-zA-Z], )?--[a-z][a-z-]*' <<<"$help" |
		sed 's/.*--//' | sort -u)
	missing=$(comm -23 <(echo "$taken") <(echo "$shown") | tr '\n' ' ')
	extra=$(comm -13 <(echo "$taken") <(echo "$shown") | tr '\n' ' ')
	check "help: lwfuzz $cmd --help (exit 0) names its $(wc -w <<<"$taken") options${missing:+; missing: $missing}${extra:+; not taken: $extra}" \
		test "$rc" = 0 -a -z "$missing" -a -z "$extra"
done
