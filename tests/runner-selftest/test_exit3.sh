#!/bin/bash
# Every check passes, then it exits 3: 2 passed, 1 failed (exit 3).
. "$(dirname "$0")/../e2e/lib.sh"
plan 2
ok "exit3: first"
ok "exit3: second"
exit 3
