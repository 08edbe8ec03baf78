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
