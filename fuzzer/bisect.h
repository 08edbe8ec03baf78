/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Naming the patch of kmod-patch/series that makes a finding appear or
 * disappear (`lwfuzz bisect`).
 */
#ifndef LWFUZZ_BISECT_H
#define LWFUZZ_BISECT_H

#include "lib/workload.h"
#include "setup/layout.h"
#include "setup/setup.h"
#include "setup/variants.h"
#include "vm/workload_vm.h"

/*
 * Run @w (@p->runs times, @p->variant is set per prefix) on prefixes of
 * @ps: every prefix when @good < 0, else a binary search between the
 * prefixes of @bad and @good patches. Prints each prefix's counts and the
 * patch named. 0 a patch was named, 2 nothing to bisect or an error.
 */
int bisect_run(const struct layout *l, const struct kstate *ks,
	       const struct patch_set *ps, const struct workload *w,
	       const struct wl_run_params *p, int good, int bad);

#endif
