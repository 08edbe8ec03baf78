# Helpers of the end-to-end tests: each check prints "ok NAME" or
# "not ok NAME" (and why), which tests/run.sh counts.
LWFUZZ=${LWFUZZ:-$PWD/bin/lwfuzz}
WORK=$(mktemp -d /tmp/lwfuzz-e2e.XXXXXX)
export TMPDIR=$WORK
trap 'rm -rf "$WORK"' EXIT

ok() { echo "ok $*"; }
not_ok() { echo "not ok $*"; }

# check NAME CMD...: ok when CMD succeeds.
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}

# QEMU processes started by lwfuzz runs of this test (their scratch dirs
# live under $WORK).
# ("[q]" keeps pgrep from matching a shell whose command line holds this.)
no_qemu_left() {
	! pgrep -f "[q]emu-system-x86_64.*$WORK" >/dev/null
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
