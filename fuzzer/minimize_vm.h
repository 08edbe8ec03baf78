/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `lwfuzz minimize` inside: wl_minimize() (minimize.h) with a run in a VM
 * as its oracle.
 */
#ifndef LWFUZZ_MINIMIZE_VM_H
#define LWFUZZ_MINIMIZE_VM_H

#include "lib/workload.h"
#include "setup/layout.h"
#include "vm/workload_vm.h"

/*
 * Shrink @w (named @name in messages) while it still shows a finding: each
 * trial is @p->runs runs in a VM of @p->variant and fails when any run
 * fails a check. Returns 0 when @w shows no finding to begin with (said on
 * stdout), 1 when @w is now the smallest failing workload found, 2 on
 * error (said). *@failing says whether @w shows the finding: after an
 * error while shrinking, it is the smallest failing workload so far.
 */
int minimize_in_vm(const struct layout *l, const struct wl_run_params *p,
		   const char *name, struct workload *w, int *failing);

#endif
