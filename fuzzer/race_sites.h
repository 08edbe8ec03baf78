/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The race sites of the last execution, handed from `lwfuzz exec` to the
 * mutator inside afl-fuzz through the VM's directory (LWFUZZ_VM_DIR): the
 * btrfs functions that two or more of the workload's threads ran, which is
 * where a delay can change how they interleave. Raw struct, one host.
 */
#ifndef LWFUZZ_RACE_SITES_H
#define LWFUZZ_RACE_SITES_H

#include <stdint.h>

#include "lib/hash.h"
#include "lib/workload.h"

#define RACE_SITES_FILE "race-sites"
#define RACE_SITES_MAX 128 /* EXEC_SITES */

struct race_sites {
	uint64_t hash; /* race_sites_key() of the workload */
	uint32_t n;
	uint32_t ids[RACE_SITES_MAX];
};

/* The key of a workload: the hash of its canonical binary form. */
static inline uint64_t race_sites_key(const struct workload *w)
{
	unsigned char bin[WL_BIN_MAX];
	size_t n = wl_encode(w, bin, sizeof(bin));

	return hash_bytes(HASH_INIT, bin, n);
}

#endif
