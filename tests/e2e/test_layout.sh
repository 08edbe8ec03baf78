#!/bin/bash
# The layout rules of docs/architecture.md (scripts/layout-check.sh): the
# tree keeps them, and a copy of it with one breach of each kind planted
# is refused with a line per breach (the check can fail). No VM.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
plan 7

out=$(scripts/layout-check.sh 2>&1)
rc=$?
if [ $rc = 0 ] && grep -q 'keep the rules' <<<"$out"; then
	ok "the tree keeps the layout rules ($(grep -o '[0-9]* files' <<<"$out"))"
else
	not_ok "the tree keeps the layout rules (exit $rc)"
	echo "$out" | sed 's/^/# /'
fi

copy=$WORK/tree
mkdir -p "$copy"
for d in lib replay guest vm setup fuzzer cmds; do
	cp -r "$d" "$copy/$d"
done
# One breach of each kind: lib/ leaning on a host part, the guest on the
# campaign, a bare include, a command calling a command, JSON parsed
# outside its owner.
sed -i '0,/^#include "lib\/msg.h"/s//#include "lib\/msg.h"\n#include "vm\/vm.h"/' "$copy/lib/msg.c"
echo "#include \"fuzzer/campaign.h\"" >>"$copy/guest/driver.c"
echo '#include "msg.h"' >>"$copy/replay/kmsg.c"
echo 'static void planted(void) { cmd_run(0, 0); }' >>"$copy/cmds/cmd_log.c"
echo 'static void *planted(void) { return json_tokener_parse(""); }' >>"$copy/fuzzer/signature.c"
out=$(scripts/layout-check.sh "$copy" 2>&1)
rc=$?
check "a tree with planted breaches is refused (exit 1)" [ $rc = 1 ] ||
	echo "$out" | sed 's/^/# /'
check "lib/ including vm/ is named" grep -q '^lib/msg.c:[0-9]*: lib/ includes vm/vm.h' <<<"$out"
check "guest/ including fuzzer/ is named" grep -q '^guest/driver.c:[0-9]*: guest/ includes fuzzer/campaign.h' <<<"$out"
check "an include without its part is named" grep -q '^replay/kmsg.c:[0-9]*: includes "msg.h" without its part' <<<"$out"
check "a command calling a command is named" grep -q '^cmds/cmd_log.c:[0-9]*: calls cmd_run' <<<"$out"
check "JSON parsed outside its owner is named" grep -q '^fuzzer/signature.c:[0-9]*:.*parses JSON outside its owner' <<<"$out"
