/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The btrfs coverage of one execution, as the agent takes it from
 * lwfuzz.ko's /proc/lwfuzz/cov: started when the workload's file system is
 * mounted, stopped when the workload's log is complete (after its
 * unmount), so its edges are what btrfs did for the workload; replaying
 * the crash states is not counted.
 * Each workload thread also registers itself, and the functions of
 * btrfs.ko each one ran (named through /proc/kallsyms) are its thread
 * sites: where a delay in that thread can stop it. Those another thread
 * ran too are race sites, where a delay can reorder them; they come first.
 * A thread with a barrier counts only what it ran after passing its first
 * one when the workload has at most half as many threads as the collector
 * has maps (the rest go to the code before it): until then the others
 * wait for it, so a delay there reorders nothing. With more threads a
 * thread's sites are all it ran.
 */
#ifndef LWFUZZ_AGENT_COV_H
#define LWFUZZ_AGENT_COV_H

#include <stdint.h>

#include "lib/cov_map.h"
#include "lib/exec_proto.h"

struct agent_cov {
	int edges; /* -1: no coverage */
	uint8_t bits[COV_BYTES];
	/*
	 * Per thread: sites kept (a random sample when it ran more than
	 * EXEC_THREAD_SITES), the first nshared of them race sites; ids of
	 * lib/delay_site.h. ran[] and shared[] count all it ran.
	 */
	unsigned int nsites[EXEC_THREADS], nshared[EXEC_THREADS];
	unsigned int ran[EXEC_THREADS], shared[EXEC_THREADS];
	uint32_t sites[EXEC_THREADS][EXEC_THREAD_SITES];
};

/*
 * Clear and start for a workload of @nthreads threads; 0, or -1 when this
 * btrfs.ko has no coverage.
 */
int agent_cov_begin(unsigned int nthreads);
/*
 * From workload thread @t itself when it starts (@waits: it has a barrier
 * to wait at), so its code is mapped on its own ...
 */
void agent_cov_thread(unsigned int t, int waits);
/* ... and once it has passed its first barrier. */
void agent_cov_thread_racing(unsigned int t);
/* Stop and read; c->edges is -1 when there was no coverage. */
void agent_cov_end(struct agent_cov *c);

#endif
