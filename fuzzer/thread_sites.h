/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The thread sites of the last execution, handed from `lwfuzz exec` to the
 * mutator inside afl-fuzz through the VM's directory (LWFUZZ_VM_DIR): per
 * workload thread, the btrfs functions it ran, where a delay in that
 * thread can stop it; the first nshared of them another thread ran too,
 * where a delay can change how they interleave. Raw struct, one host.
 */
#ifndef LWFUZZ_THREAD_SITES_H
#define LWFUZZ_THREAD_SITES_H

#include <stdint.h>
#include <string.h>

#include "lib/exec_proto.h"
#include "lib/hash.h"
#include "lib/workload.h"

#define THREAD_SITES_FILE "thread-sites"
/*
 * The seeds' thread sites, one file per seed named by its key (%016llx),
 * in the campaign's OUT/seed-sites: the campaign runs every seed itself
 * before AFL++ starts, and AFL++ asks the mutator about new entries only.
 * LWFUZZ_SEED_SITES names the directory for the mutator.
 */
#define SEED_SITES_DIR "seed-sites"

struct thread_sites {
	uint64_t hash; /* thread_sites_key() of the workload */
	uint16_t n[EXEC_THREADS], nshared[EXEC_THREADS];
	uint32_t ids[EXEC_THREADS][EXEC_THREAD_SITES];
};

/* The key of a workload: the hash of its canonical binary form. */
static inline uint64_t thread_sites_key(const struct workload *w)
{
	unsigned char bin[WL_BIN_MAX];
	size_t n = wl_encode(w, bin, sizeof(bin));

	return hash_bytes(HASH_INIT, bin, n);
}

/* @ts from an execution's features (@hash: thread_sites_key()). */
static inline void thread_sites_fill(struct thread_sites *ts, uint64_t hash,
				     const struct exec_features *f)
{
	memset(ts, 0, sizeof(*ts));
	ts->hash = hash;
	for (unsigned int t = 0; t < EXEC_THREADS; t++) {
		ts->n[t] = f->nsites[t];
		ts->nshared[t] = f->nshared[t];
		memcpy(ts->ids[t], f->sites[t], f->nsites[t] * sizeof(**ts->ids));
	}
}

#endif
