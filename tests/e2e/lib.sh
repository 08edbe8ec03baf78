# Helpers of the end-to-end tests, TAP style: a script declares up front
# how many checks it runs (`plan N` prints "1..N"), then each check prints
# "ok NAME" or "not ok NAME" (and why, on "# " lines); a skipped check is
# "ok NAME # SKIP WHY". tests/run.sh counts them and holds the script to
# its plan and its exit status.
#
# The script exits 1 when a check failed or the number of checks run is not
# the plan (the EXIT trap below), whatever it would have exited with; a
# script that cannot go on calls `bail_out WHY`. Cleanups go through
# `on_exit CMD` (never `trap ... EXIT`, which would replace this one).
LWFUZZ=${LWFUZZ:-$PWD/bin/lwfuzz}
WORK=$(mktemp -d /tmp/lwfuzz-e2e.XXXXXX)
export TMPDIR=$WORK

_lib_planned=
_lib_ran=0
_lib_failed=0
_lib_cleanups=()

# plan N: this script runs N checks (print it before the first check).
plan() {
	_lib_planned=$1
	echo "1..$1"
}

ok() {
	_lib_ran=$((_lib_ran + 1))
	echo "ok $*"
}

not_ok() {
	_lib_ran=$((_lib_ran + 1))
	_lib_failed=1
	echo "not ok $*"
}

# skip NAME WHY: a check that was not run, counted as skipped.
skip() {
	ok "$1 # SKIP $2"
}

# bail_out WHY: the script cannot go on (the runner counts it failed once).
bail_out() {
	echo "Bail out! $*"
	_lib_failed=1
	_lib_bailed=1
	exit 1
}

# on_exit CMD: run CMD (a shell string) when the script exits, before
# $WORK is removed; the last registered runs first.
on_exit() {
	_lib_cleanups=("$1" "${_lib_cleanups[@]}")
}

_lib_exit() {
	local rc=$? c
	for c in "${_lib_cleanups[@]}"; do
		eval "$c"
	done
	rm -rf "$WORK"
	if [ -z "${_lib_bailed:-}" ]; then
		if [ -z "$_lib_planned" ]; then
			echo "# no plan: call plan N before the first check"
			rc=1
		elif [ "$_lib_ran" != "$_lib_planned" ]; then
			echo "# planned $_lib_planned checks, ran $_lib_ran"
			rc=1
		fi
	fi
	[ "$_lib_failed" = 1 ] && [ "$rc" = 0 ] && rc=1
	exit "$rc"
}
trap _lib_exit EXIT

# check NAME CMD...: ok when CMD succeeds; returns CMD's status, so that
# `check NAME CMD || echo "# why"` prints its diagnostics on a failure.
check() {
	local name=$1 rc
	shift
	"$@"
	rc=$?
	if [ "$rc" = 0 ]; then ok "$name"; else not_ok "$name"; fi
	return "$rc"
}

# QEMU processes started by lwfuzz runs of this test (their scratch dirs
# live under $WORK, and so do a campaign's OUT and disks).
# ("[q]" keeps pgrep from matching a shell whose command line holds this.)
qemu_pids() {
	pgrep -f "[q]emu-system-x86_64.*$WORK" | tr '\n' ' ' | sed 's/ $//'
}

# run_failed VARIANT N WORKLOAD OUT: `lwfuzz run` N times (output in
# OUT.txt, artifacts in OUT); prints in how many runs a check failed.
run_failed() {
	"$LWFUZZ" run -k "$1" -n "$2" -o "$4" "$3" >"$4.txt" 2>&1
	sed -n 's/^run: a check failed in \([0-9]*\) of.*/\1/p' "$4.txt" | tail -1
}

# delays_fired OUT: "ARMED FIRED", the delay plans of a run's OUT/result.json.
delays_fired() {
	echo "$(sed -n 's/.*"delays": \([0-9]*\).*/\1/p' "$1/result.json") $(sed -n 's/.*"delays_fired": \([0-9]*\).*/\1/p' "$1/result.json")"
}

no_qemu_left() {
	! pgrep -f "[q]emu-system-x86_64.*$WORK" >/dev/null
}

# A "no QEMU left" claim means something only once a QEMU of the run was
# seen running before the stop. Either:
#   qemu=$(wait_for_qemu 60)      (the run is in the background), or
#   run_seeing_qemu FILE CMD...    (CMD in the background, output to FILE,
#                                   its exit status; sets QEMU_PIDS)
# then, after the stop:
#   check "... no QEMU left" qemu_gone "$qemu"   (or "$QEMU_PIDS")

# wait_for_qemu SECONDS: prints the PIDs of this test's QEMUs as soon as
# one runs; 1 (printing nothing) if none did within SECONDS.
wait_for_qemu() {
	local i p
	for ((i = 0; i < $1 * 2; i++)); do
		p=$(qemu_pids)
		[ -n "$p" ] && echo "$p" && return 0
		sleep 0.5
	done
	return 1
}

# running PID: PID is alive (a child that exited but was not waited for
# is a zombie: not running).
running() {
	local s
	s=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $s != Z* ]]
}

# run_seeing_qemu FILE CMD...: run CMD with its output to FILE, noting in
# QEMU_PIDS the first QEMUs of this test seen while it ran (empty: none);
# returns CMD's exit status. (For an environment variable: env VAR=... CMD.)
run_seeing_qemu() {
	local file=$1 pid
	shift
	"$@" >"$file" 2>&1 &
	pid=$!
	QEMU_PIDS=
	while running "$pid"; do
		QEMU_PIDS=$(qemu_pids)
		[ -n "$QEMU_PIDS" ] && break
		sleep 0.5
	done
	wait "$pid"
}

# campaign_run NAME ARGS...: `lwfuzz fuzz ARGS -o $WORK/NAME`, its output
# in $WORK/NAME.txt. Sets CAMPAIGN_RC (its exit), CAMPAIGN_QEMU (the QEMU
# seen running), CAMPAIGN_SECS and CAMPAIGN_EXECS (scripts/campaign-out.sh)
# and prints them with its last progress lines.
campaign_run() {
	local name=$1 t0
	shift
	t0=$(date +%s)
	run_seeing_qemu "$WORK/$name.txt" "$LWFUZZ" fuzz "$@" -o "$WORK/$name"
	CAMPAIGN_RC=$?
	CAMPAIGN_QEMU=$QEMU_PIDS
	CAMPAIGN_SECS=$(($(date +%s) - t0))
	CAMPAIGN_EXECS=$(campaign_executions "$WORK/$name")
	echo "# $name: $CAMPAIGN_EXECS executions in $CAMPAIGN_SECS s (exit $CAMPAIGN_RC)"
	grep -E 'new finding|unique|elapsed' "$WORK/$name.txt" | tail -4 |
		sed 's/^/# /'
}

# qemu_gone SEEN: SEEN (the PIDs of the QEMU seen running before the stop)
# is not empty, and no QEMU of this test runs now.
qemu_gone() {
	if [ -z "$1" ]; then
		echo "# no QEMU of this run was seen running before the stop: nothing to prove"
		return 1
	fi
	no_qemu_left && return 0
	echo "# QEMU still running (seen before the stop: $1; now: $(qemu_pids))"
	return 1
}

# lacks PATTERN TEXT: ok when TEXT has no line matching PATTERN.
lacks() {
	! grep -q -- "$1" <<<"$2"
}

# wait_for_line SECONDS PATTERN FILE: until FILE has a line matching
# PATTERN (the file may not exist yet); 1 if the time ran out.
wait_for_line() {
	local i
	for ((i = 0; i < $1; i++)); do
		grep -q -- "$2" "$3" 2>/dev/null && return 0
		sleep 1
	done
	return 1
}

# wait_for_lines SECONDS N FILE: until FILE has at least N lines (a
# campaign's .vm-K/executions); 1 if the time ran out.
wait_for_lines() {
	local i
	for ((i = 0; i < $1; i++)); do
		[ "$(cat "$3" 2>/dev/null | wc -l)" -ge "$2" ] && return 0
		sleep 1
	done
	return 1
}
