#!/bin/bash
# One check fails, with its diagnostics (check returns the command's
# status): 1 passed, 1 failed (the not ok, counted once; lib.sh exits 1).
. "$(dirname "$0")/../e2e/lib.sh"
plan 2
ok "notok: first"
check "notok: second" false || echo "# notok: the diagnostics of a failed check"
