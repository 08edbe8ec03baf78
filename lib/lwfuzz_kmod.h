/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ABI between the agent and lwfuzz.ko, the guest's kernel helper
 * (kmod/): delay injection through kprobes on btrfs.ko's functions, and the
 * read-out of the btrfs coverage map that the collector linked into
 * btrfs.ko fills. Both sides include this file: the agent through
 * lib/kmod_req (the one user-space writer and reader of these structs) and
 * kmod/ (setup copies this header beside the module's sources). Fixed-size
 * structs of __u32 in the guest's byte order; nothing here may need libc or
 * a kernel-only header.
 *
 * /proc/lwfuzz/delay (one opener at a time; closing it removes every probe
 * and plan):
 *   write(struct lwfuzz_delay_req): arm a plan for the calling thread: the
 *   hit-th time from now that this thread enters function @site of btrfs.ko
 *   it busy-waits @ms milliseconds before the function runs. Returns the
 *   struct's size, or -ENOENT (no such function in btrfs.ko), -EINVAL (a
 *   value out of range, or a function kprobes refuse), -ENOSPC (too many
 *   plans or sites).
 *   read: one struct lwfuzz_delay_status per plan, in the order they were
 *   armed.
 * /proc/lwfuzz/cov (-ENODEV when btrfs.ko was built without coverage):
 *   write "1": clear everything and start collecting; "0": stop;
 *   "tN" (N < LWFUZZ_COV_THREADS): the calling thread is workload thread
 *   N, whose code is also mapped on its own (below).
 *   read: the edge map, LWFUZZ_COV_MAP bytes, each an edge's hit count
 *   (saturating at 255); then for each workload thread a bitmap of the
 *   LWFUZZ_COV_GRANULES 16-byte granules of btrfs.ko's text it ran,
 *   granule g covering [anchor - LWFUZZ_COV_BIAS + 16 g, + 16), where the
 *   anchor is the address of btrfs.ko's __sanitizer_cov_trace_pc (in
 *   /proc/kallsyms, which maps the granules back to functions).
 */
#ifndef LWFUZZ_KMOD_H
#define LWFUZZ_KMOD_H

#include <linux/types.h>

#define LWFUZZ_PROC_DELAY "/proc/lwfuzz/delay"
#define LWFUZZ_PROC_COV "/proc/lwfuzz/cov"

#define LWFUZZ_DELAY_VERSION 1
#define LWFUZZ_SITE_LEN 128 /* a btrfs function name and its NUL */
/*
 * A busy-wait holds its CPU with preemption off: one second at most keeps
 * it far below the soft-lockup (20 s) and RCU-stall (21 s) reports.
 */
#define LWFUZZ_DELAY_MAX_MS 1000
#define LWFUZZ_DELAY_MAX_HIT 1000
#define LWFUZZ_DELAY_MAX_PLANS 64
#define LWFUZZ_DELAY_MAX_SITES 32

struct lwfuzz_delay_req {
	__u32 version; /* LWFUZZ_DELAY_VERSION */
	__u32 hit; /* 1..LWFUZZ_DELAY_MAX_HIT */
	__u32 ms; /* 1..LWFUZZ_DELAY_MAX_MS */
	__u32 reserved; /* 0 */
	char site[LWFUZZ_SITE_LEN]; /* NUL-terminated */
};

struct lwfuzz_delay_status {
	__u32 pid; /* the thread the plan is for */
	__u32 hits; /* entries of the site by that thread since arming */
	__u32 fired; /* 1 once the delay ran */
	__u32 waited_us; /* how long it busy-waited */
};

#define LWFUZZ_COV_BITS 16
#define LWFUZZ_COV_MAP (1u << LWFUZZ_COV_BITS)
#define LWFUZZ_COV_THREADS 4 /* WL_MAX_THREADS */
#define LWFUZZ_COV_GRANULE_SHIFT 4 /* functions are 16-byte aligned */
#define LWFUZZ_COV_GRANULES (1u << 19) /* 8 MiB of text around the anchor */
#define LWFUZZ_COV_BIAS (LWFUZZ_COV_GRANULES << LWFUZZ_COV_GRANULE_SHIFT >> 1)
#define LWFUZZ_COV_THREAD_BYTES (LWFUZZ_COV_GRANULES / 8)
#define LWFUZZ_COV_READ (LWFUZZ_COV_MAP + LWFUZZ_COV_THREADS * LWFUZZ_COV_THREAD_BYTES)

#endif
