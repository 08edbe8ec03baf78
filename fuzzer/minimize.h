/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shrinking a workload that shows a finding while it still shows it:
 * drop threads, drop operations (larger chunks first), then shrink
 * lengths along block boundaries. The oracle decides "still fails"; in
 * `lwfuzz minimize` it is a run in the VM, in tests a function.
 */
#ifndef LWFUZZ_MINIMIZE_H
#define LWFUZZ_MINIMIZE_H

#include "lib/workload.h"

/* 1 when @w still shows the finding, 0 when not, -1 on error. */
typedef int (*wl_oracle)(const struct workload *w, void *arg);

struct minimize_stats {
	unsigned int trials, accepted;
};

/*
 * Minimize @w in place. Returns 0, or -1 when the oracle failed (then @w
 * is the smallest failing workload found so far).
 */
int wl_minimize(struct workload *w, wl_oracle still_fails, void *arg,
		struct minimize_stats *st);

#endif
