/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The coverage area that the collector in btrfs.ko (lwfuzz_cov.c) fills and
 * lwfuzz.ko reads. lwfuzz.ko finds it with symbol_get(), so it loads and
 * works against a btrfs.ko built without coverage too (no /proc/lwfuzz/cov
 * then).
 */
#ifndef LWFUZZ_COV_H
#define LWFUZZ_COV_H

#include "lwfuzz_kmod.h"

struct lwfuzz_cov_area {
	int on; /* collecting; written by lwfuzz.ko */
	pid_t pids[LWFUZZ_COV_THREADS]; /* the workload threads; 0: none */
	__u8 map[LWFUZZ_COV_MAP];
	/* Laid out as the read returns them: threads right after the map. */
	__u8 threads[LWFUZZ_COV_THREADS][LWFUZZ_COV_THREAD_BYTES];
};

extern struct lwfuzz_cov_area lwfuzz_cov_area;

#endif
