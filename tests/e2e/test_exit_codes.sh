#!/bin/bash
# The exit statuses of README "Exit codes" and the one-line complaint of
# every command, without a VM: a bad option or value is refused while the
# command line is parsed, before anything is read or booted. An option
# several commands take is refused in the same words by each.
. "$(dirname "$0")/lib.sh"
# 13 commands x (a bad option, --help) + 27 bad values + 6 "the same
# message" + 1 missing value + 1 not a finding + 4 of lwfuzz itself + 4
# of --accel + 1 no QEMU
plan 70

cmds=(setup vm run fuzz exec repro minimize bisect triage export-fstests
	log replay kernels)
# Never read: the options are refused before operands are looked at.
none=$WORK/none.lw
variants=$(sed 's/#.*//' kmod-patch/variants | awk 'NF { print $1 }' |
	paste -sd, | sed 's/,/, /g')

# refused NAME WANT PATTERN CMD...: CMD exits WANT with exactly one line
# on stderr, matching PATTERN; that line is kept in $LINE.
refused() {
	local name=$1 want=$2 pat=$3 rc
	shift 3
	LINE=$("$@" 2>&1 >/dev/null)
	rc=$?
	check "$name: exit $want, one line" \
		bash -c 'test "$1" = "$2" && test "$(grep -c . <<<"$3")" = 1 &&
			 grep -q -- "$4" <<<"$3"' _ "$rc" "$want" "$LINE" "$pat" ||
		sed "s/^/# exit $rc: /" <<<"$LINE"
}

for c in "${cmds[@]}"; do
	want=2
	[ "$c" = vm ] && want=125
	refused "$c --nosuch-option" $want "^lwfuzz: error: .*, in 'lwfuzz $c'; " \
		"$LWFUZZ" "$c" --nosuch-option
	check "$c --help: exit 0, its usage on stdout" \
		bash -c '"$1" "$2" --help 2>/dev/null | grep -q "^usage: lwfuzz $2 "' \
		_ "$LWFUZZ" "$c"
done

# bad CMD OPTION VALUE [ARG...]: refused with the option's one message.
declare -A seen
bad() {
	local c=$1 opt=$2 val=$3 want=2 pat
	shift 3
	[ "$c" = vm ] && want=125
	case $opt in
	--kernel) pat="unknown kernel variant '$val' for --kernel, in 'lwfuzz $c'; choose one of: $variants\$" ;;
	*) pat="bad value '$val' for $opt, in 'lwfuzz $c'; give " ;;
	esac
	refused "$c $opt $val" $want "^lwfuzz: error: $pat" \
		"$LWFUZZ" "$c" "$opt" "$val" "$@"
	# The same words whichever command: only its name and the value differ.
	seen[$opt]+=$(sed "s/'lwfuzz [a-z-]*'/'lwfuzz CMD'/; s/ '[^']*' for / 'V' for /" \
		<<<"$LINE")$'\n'
}
for c in setup run fuzz repro minimize replay triage; do
	bad $c --kernel nosuch "$none"
done
bad vm --kernel nosuch -- true
for c in run fuzz repro minimize bisect export-fstests; do
	bad $c --delay-ms -5 "$none"
done
for c in run minimize bisect triage; do
	bad $c --runs 0 "$none"
done
bad fuzz --triage 0
# repro takes --runs 0 (no rerun): past the top instead.
bad repro --runs 1001 "$none"
bad run --op-timeout 0 "$none"
bad fuzz --op-timeout 3601
bad vm --timeout 0 -- true
bad replay --timeout 0 "$none"
bad fuzz --time 5x
bad log --device-size 0 "$none"
bad replay --device-size 0 "$none"
for opt in --kernel --delay-ms --runs --op-timeout --timeout --device-size; do
	n=$(grep . <<<"${seen[$opt]}" | sort -u | wc -l)
	check "$opt: one message for every command that takes it" test "$n" = 1 ||
		grep . <<<"${seen[$opt]}" | sort -u | sed 's/^/# /'
done

refused "run --kernel (no value)" 2 "option '--kernel' needs a value, in 'lwfuzz run'" \
	"$LWFUZZ" run --kernel

refused "triage of a directory that is no finding" 2 \
	"^lwfuzz: error: $WORK is not a finding (no workload.lw in it), in 'lwfuzz triage'" \
	"$LWFUZZ" triage "$WORK"

refused "lwfuzz help nosuch" 2 "unknown command 'nosuch'" "$LWFUZZ" help nosuch
refused "lwfuzz nosuch" 2 "unknown command 'nosuch'" "$LWFUZZ" nosuch
"$LWFUZZ" >/dev/null 2>&1
check "lwfuzz alone: exit 2" test $? = 2
check "lwfuzz help: exit 0" bash -c '"$1" help >/dev/null' _ "$LWFUZZ"

# --accel: a bad value by option or environment; a forced kvm where the
# probe (shown by `lwfuzz kernels`) says no is refused with its reason,
# where it says yes it is taken (the run then fails on its bad option).
refused "--accel bogus" 2 "^lwfuzz: error: --accel 'bogus': not auto, kvm or tcg$" \
	"$LWFUZZ" --accel bogus run "$none"
refused "--accel (no value)" 2 "^lwfuzz: error: --accel needs a value" "$LWFUZZ" --accel
refused "LWFUZZ_ACCEL=bogus" 2 "^lwfuzz: error: LWFUZZ_ACCEL 'bogus': not auto, kvm or tcg$" \
	env LWFUZZ_ACCEL=bogus "$LWFUZZ" run "$none"
why=$("$LWFUZZ" kernels | sed -n 's/^accelerator: tcg (\(.*\))$/\1/p')
echo "# accelerator here: $("$LWFUZZ" kernels | grep '^accelerator')"
if [ -n "$why" ]; then
	refused "--accel kvm where KVM cannot boot a stock kernel" 2 \
		"^lwfuzz: error: --accel kvm: $why; use --accel tcg$" \
		"$LWFUZZ" --accel kvm run --nosuch-option
else
	refused "--accel kvm where KVM can: taken, the run's own option refused" 2 \
		"in 'lwfuzz run'" "$LWFUZZ" --accel kvm run --nosuch-option
fi

check "nothing booted a VM" no_qemu_left
