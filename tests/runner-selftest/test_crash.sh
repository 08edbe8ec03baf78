#!/bin/bash
# Prints its one planned ok, then crashes: 1 passed, 1 failed (the crash).
. "$(dirname "$0")/../e2e/lib.sh"
plan 1
ok "crash: first"
rm -rf "$WORK"
kill -SEGV $$
