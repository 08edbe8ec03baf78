/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The driver (runs in the guest): execute a workload's threads on a mounted
 * btrfs that sits on dm-log-writes, with marks around every durability
 * point and promise marks after it (lib/promise_mark.h), so the replayer
 * can hold the crash states to what each durability point promised.
 */
#ifndef LWFUZZ_DRIVER_H
#define LWFUZZ_DRIVER_H

#include <stdint.h>

#include "lib/workload.h"

/*
 * For tests of the campaign's fault handling only: "panic:ID" crashes the
 * guest kernel (sysrq c) and "hang:ID" blocks the thread for good when a
 * workload reaches "mark ID".
 */
struct driver_fault {
	enum { FAULT_NONE, FAULT_PANIC, FAULT_HANG } kind;
	unsigned int mark;
};

/* Parse "panic:ID" or "hang:ID"; 0 or -1. */
int driver_parse_fault(const char *s, struct driver_fault *f);

struct driver_cfg {
	const char *mnt; /* the mounted file system */
	const char *dm_name; /* the dm-log-writes device, for marks */
	unsigned int timeout_s; /* a thread still running then is a hang */
	struct driver_fault fault;
};

/* Operation pairs, hashed into the bits the exec protocol carries. */
#define DRIVER_OVERLAP_BYTES 96

struct driver_result {
	unsigned long ops, op_errors, marks, expectations;
	uint32_t ok_codes,
		err_codes; /* bit per wl_code that succeeded/failed */
	int hung; /* a thread did not finish in time */
	int stuck; /* ... and is stuck in the kernel: the VM is lost */
	/*
	 * Concurrency reached: bit ((a * WL_NCODES + b) * 2 + same_path) mod
	 * the map's bits is set when an operation a started while b was in
	 * flight in another thread.
	 */
	uint8_t overlap[DRIVER_OVERLAP_BYTES];
	/* "delay" operations: armed, of those fired, not armed (and why). */
	unsigned int delays, delays_fired, delays_failed;
	char delay_why[160];
	char why[512]; /* what hung, naming the line/op */
};

/* Run @w. Returns 0, or -1 when it hung (res->why says where). */
int driver_run(const struct workload *w, const struct driver_cfg *cfg,
	       struct driver_result *res);

#endif
