#!/bin/bash
# Plans 3, runs 1, then cannot go on: 1 passed, 1 failed (bailed out).
. "$(dirname "$0")/../e2e/lib.sh"
plan 3
ok "bail: first"
bail_out "the fixture cannot go on"
ok "bail: never printed"
