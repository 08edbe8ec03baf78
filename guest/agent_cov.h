/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The btrfs coverage of one execution, as the agent takes it from
 * lwfuzz.ko's /proc/lwfuzz/cov: started when the workload's file system is
 * mounted, stopped when the workload's log is complete (after its
 * unmount), so its edges are what btrfs did for the workload; replaying
 * the crash states is not counted.
 * Each workload thread also registers itself, and the functions of
 * btrfs.ko that two or more of them ran (named through /proc/kallsyms)
 * are the execution's race sites: where a delay can reorder them.
 */
#ifndef LWFUZZ_AGENT_COV_H
#define LWFUZZ_AGENT_COV_H

#include <stdint.h>

#include "lib/cov_map.h"

#define AGENT_RACE_SITES 128

struct agent_cov {
	int edges; /* -1: no coverage */
	uint8_t bits[COV_BYTES];
	unsigned int nsites; /* race sites found (at most AGENT_RACE_SITES) */
	uint32_t sites[AGENT_RACE_SITES]; /* their ids (lib/delay_site.h) */
};

/* Clear and start; 0, or -1 when this btrfs.ko has no coverage. */
int agent_cov_begin(void);
/* From workload thread @t itself: its code is mapped on its own. */
void agent_cov_thread(unsigned int t);
/* Stop and read; c->edges is -1 when there was no coverage. */
void agent_cov_end(struct agent_cov *c);

#endif
