#!/bin/bash
# One check passes, one is skipped: 1 passed, 1 skipped, exit 0.
. "$(dirname "$0")/../e2e/lib.sh"
plan 2
ok "skip: first"
skip "skip: second" "the fixture says so"
